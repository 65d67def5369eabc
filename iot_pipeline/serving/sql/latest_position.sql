-- Where each vehicle was last seen, with what it was doing.
SELECT
    v.deviceid AS device_id,
    v.make,
    v.model,
    v.location.latitude AS latitude,
    v.location.longitude AS longitude,
    v.speed AS speed_kmh,
    v.direction AS direction_deg,
    v.odometerkm AS odometer_km,
    v."timestamp" AS observed_at
FROM (
    SELECT
        *,
        row_number() OVER (PARTITION BY deviceid ORDER BY "timestamp" DESC) AS recency
    FROM ${catalog}.vehicle_data
) AS v
WHERE v.recency = 1
