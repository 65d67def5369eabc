-- Each incident once, at its latest status.
SELECT
    incidentid AS incident_id,
    max_by(type, "timestamp") AS type,
    max_by(status, "timestamp") AS status,
    avg(location.latitude) AS latitude,
    avg(location.longitude) AS longitude
FROM ${catalog}.emergency_data
GROUP BY incidentid
