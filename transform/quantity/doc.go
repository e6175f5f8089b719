// Package quantity finds the numeric facts stated in English prose: "The Coalition actions
// have liberated 3.2 million people from ISIS in Syria and 4.5 million in Iraq" states
// 3200000 people in Syria and 4500000 people in Iraq.
//
// The package is hand-written. No library parses numbers embedded in English sentences
// together with their multipliers, currencies, units, comparators and places, and none reads
// digit grouping per document: a European-style article writes "107.600km2" and "10.000
// barrels a day" for thousands but "3.2 million" for a decimal, and a number can only be
// read right when every number of the document is read the same way. Locale-aware number
// formatters (golang.org/x/text/number) format and parse one known locale, not prose.
//
// # Use
//
// DetectGrouping decides the grouping convention once from the whole document,
// SplitSentences splits each paragraph, and Facts reads each sentence under that
// convention. Facts never fails; what it cannot read it leaves out, preferring a missed
// fact to a wrong one. A Scanner does both for a document's lines and sentences one after
// another, reusing its memory between them.
//
// # What is a fact
//
// A fact is a number with a unit: a currency ("$300 million" is USD), a percent ("95%",
// "15 per cent"), a notation unit ("107.600km2", "2,450 km²", "5 km", "3 years"), a count
// noun ("75 partners", "90 banks branches" is bank_branches), a rate ("10.000 barrels a
// day" is barrels_per_day) or a ratio ("tenfold" is 10 times).
// Fact.Raw is the number with its currency, multiplier, percent and notation unit; count
// nouns, the period of a rate and comparators stay outside it.
// A number with no unit of its own takes the unit, and the multiplier if it has none and
// is written below a thousand, of the fact before it in the sentence ("3.2 million people
// ... and 4.5 million", "4 million people ... (2.7 in Iraq and 1.4 in Syria)", "5 million
// people in Iraq and 10 000 in Syria" is 10000 people), unless a semicolon stands between
// them or another number follows it; with no fact before it, it is no fact.
//
// # Numbers
//
// Digits are grouped per document (DetectGrouping): dots ("136.000"), commas, the US/UK
// way ("2,450", "18,310"), or single spaces, no-break spaces and thin spaces ("10 000",
// "1 250 000", U+00A0, U+2009, U+202F). A space group is read under every convention when
// the whole run of groups is well formed and stands alone, so "020 7946 0958", "+44 123
// 456" and "in 2019 250 000" stay separate numbers.
//
// Numbers in words are read too (see wordNumbers): "three", "twelve", "twenty-five", "a
// hundred and fifty", "a dozen" (12), "two million", "half a million" (500000), "a quarter
// of a million" (250000). "One" and "a" count only inside such phrases, and a number in
// words needs a unit of its own: "three of them" states nothing.
//
// Fractions of a whole are percentages: "a third of the population" is 33.333… percent
// (100/3), "two-thirds" 66.666…, "half of" or "roughly half" 50, "one in five" 20. A
// percentage compares with the other shares an explainer gives ("40% of households"),
// where a bare 1/3 would need a unit of its own. "A third reservoir" is an ordinal.
// "Tenfold", "threefold", "10-fold" and "two- or threefold" are ratios: unit "times", kind
// "ratio". "Four times since 2000" counts occasions (unit "times", kind count); "three
// times as many" is a ratio.
//
// Ranges give both ends (readRange): "2–4 million people" is 2000000 (at_least) and
// 4000000 (at_most) people, each with the range's unit and multiplier and the whole range
// as Raw; so are "€2–4 billion", "10–12%", "between $2 and $2.4 trillion a year" and "2 to 4
// million". "From 24 to 19 per cent" is a change: both values, no comparator. A hyphen
// joins a range only when the upper end measures something ("2-4 million", "10-12%",
// "2-3 weeks"): between bare counts it names things as often ("the 9-11 attacks").
//
// # Units
//
// A count noun is the lowercase word after the number and its multiplier, plural as
// written ("people", "troops"). It stops at function words, adverbs in -ly, participles
// in -ed and -ing and capitalised words ("members of", "people have", "countries now");
// up to two adjectives or demonyms before it are skipped ("5 more countries"). A second
// noun joins with "_" and the first made singular when it looks plural, since after a
// plural noun an English verb does not end in "s": "90 banks branches" is bank_branches,
// "8 people say" is people. Notation units are canonical: percent (also
// percentage_points), km2, m2, mi2, ha, acre, km, m, cm, mm, mi, kg, t, m3, and year,
// month, week, day, hour, minute, second, decade for durations; superscripts are read as
// powers ("m²" is m2, "m³" m3). Money is an ISO 4217 code from a symbol ("$", "£", "€",
// "US$", "A$"), a code before or after ("GBP 12 million", "5bn USD"), a word after ("80
// million euros") or pence ("73p" is 0.73 GBP). Litres, barrels and gallons are volumes
// spelled as nouns: they keep their spelling, like count nouns. A rate is
// "<unit>_per_<period>" after "a", "an", "per", "each" or "every" and a period, after
// "annually", "daily" and the like, or after a glued "/h", "/day"; "per person", "a
// household", "a dose" come first ("150 litres per person a day" is
// litres_per_person_per_day, "45 litres a second" litres_per_second). A sentence that opens
// with a period ("On an average day …", "Every year …") makes rates of its counts, money,
// volumes and masses.
//
// Not facts: years ("since 2014", "(2017)", "ISIS, 2018", "the 2024 appeal"), dates ("May
// 17, 2018", "May 8th"), ages ("thirteen years old"), ordinals and decades ("8th",
// "1990s"), identifiers ("Resolution 2396", "68/262", "ISO 9001", "2008/98/EC", "v1.2.3",
// "version 2.3", "No. 5"), phone numbers ("555-1234", "0800 123 4567"), clock times,
// footnote markers ("[3]", "deaths³"), numbers with a leading zero ("007"), ranges of years
// ("2014–2017") and vague words ("thousands of people", "multi-year", "dozens").
//
// # Comparators
//
// more_than: "more than", "over", "above", "in excess of", "upwards of", "greater than",
// "higher than", "just over", "well over", ">". at_least: "at least", "no fewer than", "no
// less than", "not fewer/less than", "a minimum of", "≥", and "or more" after the quantity.
// less_than: "less than", "fewer than", "under", "below", "lower than", "just under/below",
// "<", and also "nearly", "almost" and "close to", which say the true value falls short of
// the figure. at_most: "at most", "up to", "no more than", "not more than", "a maximum of",
// "as many as", "as much as", "≤", and "or less"/"or fewer" after the quantity. about:
// "about", "around", "approximately", "approx.", "roughly", "some", "circa", "c.", "an
// estimated", "estimated", "~", "≈". "Over" before a duration is a period ("£11.6 billion
// over five years"), and "under" before a depth ("under 1.5 m of water") no bound.
//
// # Locations
//
// A fact's location is taken from a lexicon of countries, regions and cities and of
// demonyms ("Syrian" is Syria, "Iraqi" is Iraq); organisations are not places (NATO, EU,
// UN, Interpol, the World Bank, "Islamic State of Iraq and Syria"). The rule: take the
// places named after the fact up to the next fact; if there are none, those named before
// it back to the previous fact; skip places inside a parenthetical aside that does not
// contain the fact; join several with ", " in order of appearance. Facts joined by a
// connector word ("from", "of", "in", "across", "among", "and", "or", "out of") form a
// group that shares the location found after the last of them: "9.000 troops from 23
// countries are supporting efforts ... in Iraq and Syria" gives "Iraq, Syria" to both.
package quantity
