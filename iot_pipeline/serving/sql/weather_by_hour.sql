-- Weather along the route by station and hour.
SELECT
    stationid AS station_id,
    date_trunc('hour', "timestamp") AS hour,
    avg(location.latitude) AS latitude,
    avg(location.longitude) AS longitude,
    avg(temperature) AS avg_temperature_c,
    max(precipitation) AS max_precipitation_mm_h,
    avg(windspeed) AS avg_wind_speed_kmh,
    avg(humidity) AS avg_humidity_pct,
    max(airqualityindex) AS max_air_quality_index,
    max_by(weathercondition, "timestamp") AS latest_condition,
    count(*) AS readings
FROM ${catalog}.weather_data
GROUP BY stationid, date_trunc('hour', "timestamp")
