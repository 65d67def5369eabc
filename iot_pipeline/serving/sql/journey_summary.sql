-- One row per vehicle: how far, how long, how fast.
SELECT
    deviceid AS device_id,
    min("timestamp") AS started_at,
    max("timestamp") AS last_seen_at,
    date_diff('second', min("timestamp"), max("timestamp")) AS duration_s,
    max(odometerkm) - min(odometerkm) AS distance_km,
    avg(speed) AS avg_speed_kmh,
    max(speed) AS top_speed_kmh,
    count(*) AS readings
FROM ${catalog}.vehicle_data
GROUP BY deviceid
