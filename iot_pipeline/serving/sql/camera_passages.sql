-- Vehicle passages per roadside camera.
SELECT
    cameraid AS camera_id,
    avg(location.latitude) AS latitude,
    avg(location.longitude) AS longitude,
    count(*) AS passages,
    count(DISTINCT deviceid) AS vehicles,
    avg(speed) AS avg_speed_kmh,
    min("timestamp") AS first_passage_at,
    max("timestamp") AS last_passage_at
FROM ${catalog}.traffic_data
GROUP BY cameraid
