-- Every 10th reading of the most recently seen vehicles (at most 8), for the map and speed profile.
WITH recent AS (
    SELECT deviceid
    FROM ${catalog}.vehicle_data
    GROUP BY deviceid
    ORDER BY max("timestamp") DESC
    LIMIT 8
)
SELECT
    v.deviceid AS device_id,
    v.location.latitude AS latitude,
    v.location.longitude AS longitude,
    v.speed AS speed_kmh,
    v.odometerkm - min(v.odometerkm) OVER (PARTITION BY v.deviceid) AS distance_km,
    v."timestamp" AS observed_at
FROM ${catalog}.vehicle_data AS v
JOIN recent AS r ON v.deviceid = r.deviceid
WHERE v.kafka_offset % 10 = 0
ORDER BY v.deviceid, v."timestamp"
