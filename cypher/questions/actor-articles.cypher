// title: The articles that mention an actor
// answers: for each actor, the articles mentioning it with the number of mentions, newest first
// param: actor = null  (part of any name or alias of the actor, any case; null = every actor)
// example: kg ask actor-articles -p actor="United Nations"
WITH toLower(coalesce($actor, '')) AS wanted
MATCH (a:Actor)-[mi:MENTIONED_IN]->(art:Article)
WHERE wanted = ''
   OR toLower(a.name) CONTAINS wanted
   OR any(alias IN a.aliases WHERE toLower(alias) CONTAINS wanted)
RETURN a.name AS actor, art.published AS published, art.name AS article, art.id AS article_id,
       mi.count AS mentions
ORDER BY toLower(a.name), a.id, coalesce(art.published, '') DESC, art.id
