-- Incidents by type and current status (each incident counted once, at its latest status).
WITH latest AS (
    SELECT
        incidentid,
        max_by(type, "timestamp") AS type,
        max_by(status, "timestamp") AS status
    FROM ${catalog}.emergency_data
    GROUP BY incidentid
)
SELECT
    type,
    status,
    count(*) AS incidents
FROM latest
GROUP BY type, status
