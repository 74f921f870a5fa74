// title: The timeline of a series of talks
// answers: the meetings of each series (or of the one asked for) in date and round order, with venue and status
// param: series = null  (part of a series name, any case; null = every series)
// example: kg ask series-timeline -p series="Vienna talks"
WITH toLower(coalesce($series, '')) AS wanted
MATCH (m:Meeting)
WHERE m.series IS NOT NULL AND (wanted = '' OR toLower(m.series) CONTAINS wanted)
OPTIONAL MATCH (m)-[:HELD_IN]->(v:Venue)
RETURN m.series AS series, m.round AS round, m.name AS meeting, m.start_date AS start_date,
       m.end_date AS end_date, m.status AS status, v.name AS venue
ORDER BY toLower(m.series), coalesce(m.start_date, '9999-12-31'), coalesce(m.round, 999999),
         toLower(m.name), m.id, coalesce(v.name, '')
