// title: The most connected actors
// answers: actors ranked by how many distinct meetings, ceasefires and actors they are linked to (mentions not counted)
// param: limit = 10  (how many actors to list)
// example: kg ask most-connected -p limit=5
MATCH (a:Actor)-[r:ATTENDED|BOYCOTTED|MEDIATED|BROKERED|VIOLATED|REPRESENTS|SUPPORTS]-(x)
WITH a, count(DISTINCT x) AS neighbours, count(r) AS relationships
RETURN a.name AS actor, a.kind AS kind, neighbours, relationships
ORDER BY neighbours DESC, relationships DESC, toLower(actor), a.id
LIMIT $limit
