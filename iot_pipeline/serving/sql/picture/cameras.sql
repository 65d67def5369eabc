-- Each camera's fixed place and how many passages it reported.
SELECT
    cameraid AS camera_id,
    avg(location.latitude) AS latitude,
    avg(location.longitude) AS longitude,
    count(*) AS passages
FROM ${catalog}.traffic_data
GROUP BY cameraid
