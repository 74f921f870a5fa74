// title: Meetings planned with no report of being held
// answers: every meeting whose status is still planned, with its planned date and venue, soonest first
// example: kg ask planned-meetings
MATCH (m:Meeting)
WHERE m.status = 'planned'
OPTIONAL MATCH (m)-[:HELD_IN]->(v:Venue)
RETURN m.name AS meeting, m.kind AS kind, m.start_date AS planned_for, v.name AS venue,
       m.series AS series
ORDER BY coalesce(m.start_date, '9999-12-31'), toLower(m.name), m.id, coalesce(v.name, '')
