// title: Meetings by venue and date
// answers: every meeting with its venue, dates, status and series, oldest first
// param: venue = null  (part of a venue name or alias, any case; null = every venue)
// example: kg ask meetings-by-venue -p venue=Vienna
WITH toLower(coalesce($venue, '')) AS wanted
MATCH (m:Meeting)
OPTIONAL MATCH (m)-[:HELD_IN]->(v:Venue)
WITH wanted, m, v
WHERE wanted = ''
   OR toLower(v.name) CONTAINS wanted
   OR any(alias IN v.aliases WHERE toLower(alias) CONTAINS wanted)
RETURN v.name AS venue, m.name AS meeting, m.start_date AS start_date, m.end_date AS end_date,
       m.status AS status, m.series AS series, m.round AS round
ORDER BY coalesce(m.start_date, '9999-12-31'), toLower(m.name), m.id, coalesce(v.name, '')
