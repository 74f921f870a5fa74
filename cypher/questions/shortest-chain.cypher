// title: The shortest chain linking two actors
// answers: every shortest chain (up to 6 links, mentions not counted) between actors matching the two names
// param: from = null  (required: part of any name or alias of the first actor, any case)
// param: to = null  (required: part of any name or alias of the second actor, any case)
// example: kg ask shortest-chain -p from="United Nations" -p to=rebels
WITH toLower(coalesce($from, '')) AS wanted_from, toLower(coalesce($to, '')) AS wanted_to
MATCH (a:Actor), (b:Actor)
WHERE wanted_from <> '' AND wanted_to <> '' AND a.id <> b.id
  AND (toLower(a.name) CONTAINS wanted_from
       OR any(alias IN a.aliases WHERE toLower(alias) CONTAINS wanted_from))
  AND (toLower(b.name) CONTAINS wanted_to
       OR any(alias IN b.aliases WHERE toLower(alias) CONTAINS wanted_to))
MATCH p = allShortestPaths((a)-[:ATTENDED|BOYCOTTED|MEDIATED|HELD_IN|BROKERED|VIOLATED|DISCUSSED_AT|REPRESENTS|SUPPORTS*..6]-(b))
WITH a, b, p, [n IN nodes(p) | n.name] AS names, [r IN relationships(p) | type(r)] AS types
RETURN a.name AS from_actor, b.name AS to_actor, length(p) AS hops,
       reduce(s = head(names), n IN tail(names) | s + ' > ' + n) AS chain,
       reduce(s = head(types), t IN tail(types) | s + ', ' + t) AS links
ORDER BY hops, toLower(a.name), a.id, toLower(b.name), b.id, chain, links
