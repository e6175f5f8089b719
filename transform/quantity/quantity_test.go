package quantity

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// want is the part of a Fact a test states; Start and End are checked against Raw.
type want struct {
	raw        string
	value      float64
	unit, kind string
	comparator string
	location   string
}

const (
	dot   = GroupingDotThousands
	comma = GroupingCommaThousands
	unk   = GroupingUnknown
)

var factsTests = []struct {
	name     string
	sentence string
	g        Grouping
	want     []want
}{
	// Grouping conventions.
	{"dot thousands", "1.500 troops were deployed.", dot,
		[]want{{"1.500", 1500, "troops", "count", "", ""}}},
	// Three digits after the page's decimal separator read as a decimal by the page's
	// convention and as a whole number by the other: a writer mixing the two is far more
	// likely than "1.5 troops", and a figure a thousand times too small misleads, so it
	// is left out (a review found "More than 9,000 troops" read as 9 in a page of "9.000").
	{"three decimals under comma", "1.500 troops were deployed.", comma, nil},
	{"three decimals under dot", "More than 9,000 troops and $300,000 were sent to Syria.", dot, nil},
	{"a decimal comma under dot", "Some 2,5 million people fled.", dot,
		[]want{{"2,5 million", 2.5e6, "people", "count", "about", ""}}},
	{"both separators under dot", "It cost 1.500,5 euros.", dot,
		[]want{{"1.500,5 euros", 1500.5, "EUR", "currency", "", ""}}},
	{"a leading zero is a decimal", "The rate fell to 0.500 percent.", comma,
		[]want{{"0.500 percent", 0.5, "percent", "percent", "", ""}}},
	{"ambiguous under unknown", "1.500 troops were deployed.", unk, nil},
	{"comma ambiguous under unknown", "1,500 troops were deployed.", unk, nil},
	{"comma thousands", "1,500 troops were deployed.", comma,
		[]want{{"1,500", 1500, "troops", "count", "", ""}}},
	{"unknown reads what both read alike", "2.7 million people fled.", unk,
		[]want{{"2.7 million", 2.7e6, "people", "count", "", ""}}},
	{"decimal comma", "3,5 million people fled.", dot,
		[]want{{"3,5 million", 3.5e6, "people", "count", "", ""}}},
	{"several dot groups", "1.234.567 visitors came.", dot,
		[]want{{"1.234.567", 1234567, "visitors", "count", "", ""}}},
	{"dot before other than three digits is decimal", "It grew by 3.25 percent.", dot,
		[]want{{"3.25 percent", 3.25, "percent", "percent", "", ""}}},
	{"malformed groups", "Items 3,5 and 7 were removed.", comma, nil},
	{"both separators", "1,234,567.89 dollars", comma,
		[]want{{"1,234,567.89 dollars", 1234567.89, "USD", "currency", "", ""}}},

	// Currencies.
	{"symbol before, dot grouping", "It cost €1.500 and then 1.500 € more.", dot, []want{
		{"€1.500", 1500, "EUR", "currency", "", ""},
		{"1.500 €", 1500, "EUR", "currency", "", ""}}},
	{"pound billion", "The scheme costs £1.8 billion.", comma,
		[]want{{"£1.8 billion", 1.8e9, "GBP", "currency", "", ""}}},
	{"code before", "GBP 12 million was pledged by the UK.", comma,
		[]want{{"GBP 12 million", 12e6, "GBP", "currency", "", "UK"}}},
	{"currency word after", "Germany gave 80 million euros.", comma,
		[]want{{"80 million euros", 80e6, "EUR", "currency", "", "Germany"}}},
	{"code with bn and US$", "The bank lent USD 5bn and US$2.5 billion.", comma, []want{
		{"USD 5bn", 5e9, "USD", "currency", "", ""},
		{"US$2.5 billion", 2.5e9, "USD", "currency", "", ""}}},
	{"m is millions for money only", "They paid $10m for a 10m tower.", comma, []want{
		{"$10m", 10e6, "USD", "currency", "", ""},
		{"10m", 10, "m", "length", "", ""}}},
	{"glued m before a plural noun is millions", "Some 3.2m people fled, not a 100m sprint.", comma, []want{
		{"3.2m", 3.2e6, "people", "count", "about", ""},
		{"100m", 100, "m", "length", "", ""}}},
	{"symbol before a later number is its prefix", "In 2017 $300 million was raised.", comma,
		[]want{{"$300 million", 300e6, "USD", "currency", "", ""}}},

	// Percentages.
	{"percent sign", "Turnout was 42%.", comma, []want{{"42%", 42, "percent", "percent", "", ""}}},
	{"per cent", "Prices rose 15 per cent.", comma,
		[]want{{"15 per cent", 15, "percent", "percent", "", ""}}},
	{"percent word", "Unemployment fell to 7.5 percent.", comma,
		[]want{{"7.5 percent", 7.5, "percent", "percent", "", ""}}},
	{"percentage points", "Support rose 2 percentage points.", comma,
		[]want{{"2 percentage points", 2, "percentage_points", "percent", "", ""}}},
	{"negative", "Growth was -2.5% last year.", comma,
		[]want{{"-2.5%", -2.5, "percent", "percent", "", ""}}},

	// Areas and other notation units.
	{"area superscript", "The park covers 2,450 km².", comma,
		[]want{{"2,450 km²", 2450, "km2", "area", "", ""}}},
	{"area in words", "The area is 2,450 square kilometres, or 5 sq km of 15.5 ha.", comma, []want{
		{"2,450 square kilometres", 2450, "km2", "area", "", ""},
		{"5 sq km", 5, "km2", "area", "", ""},
		{"15.5 ha", 15.5, "ha", "area", "", ""}}},
	{"hyphenated unit", "A 10-year plan and a 10-point plan.", comma,
		[]want{{"10-year", 10, "year", "duration", "", ""}}},

	// Rates.
	{"rate of a noun", "The pump moves 45 litres a second.", comma,
		[]want{{"45", 45, "litres_per_second", "rate", "", ""}}},
	{"rate with slash and adverb", "Trucks drive at 60 km/h and carry 5,000 tonnes annually.", comma, []want{
		{"60 km/h", 60, "km_per_hour", "rate", "", ""},
		{"5,000 tonnes", 5000, "t_per_year", "rate", "", ""}}},
	{"money rate", "Nearly 10,000 people live on $1.90 a day.", comma, []want{
		{"10,000", 10000, "people", "count", "less_than", ""},
		{"$1.90", 1.9, "USD_per_day", "rate", "", ""}}},
	{"percent rate and duration", "Prices rose 5% a year for 3 years.", comma, []want{
		{"5%", 5, "percent_per_year", "rate", "", ""},
		{"3 years", 3, "year", "duration", "", ""}}},

	// Comparators.
	{"comparators before", "Up to 500 fighters, no fewer than 30 states, approximately 2 million people and some 300 families.", comma, []want{
		{"500", 500, "fighters", "count", "at_most", ""},
		{"30", 30, "states", "count", "at_least", ""},
		{"2 million", 2e6, "people", "count", "about", ""},
		{"300", 300, "families", "count", "about", ""}}},
	{"comparators and symbols", "Fewer than 20 schools and over 1,000 homes, about 40%, ~300 km.", comma, []want{
		{"20", 20, "schools", "count", "less_than", ""},
		{"1,000", 1000, "homes", "count", "more_than", ""},
		{"40%", 40, "percent", "percent", "about", ""},
		{"300 km", 300, "km", "length", "about", ""}}},
	{"comparator after", "500 people or more attended.", comma,
		[]want{{"500", 500, "people", "count", "at_least", ""}}},

	// Count nouns.
	{"compound noun", "The government isolated 90 banks branches.", dot,
		[]want{{"90", 90, "bank_branches", "count", "", ""}}},
	{"noun before a verb", "8 people say so.", comma, []want{{"8", 8, "people", "count", "", ""}}},
	{"adjective skipped", "5 more countries joined.", comma,
		[]want{{"5", 5, "countries", "count", "", ""}}},
	{"participle is no noun", "20 died in the attack.", comma, nil},
	{"thousand glued", "The race drew 5k runners.", comma,
		[]want{{"5k", 5000, "runners", "count", "", ""}}},

	// Inheritance.
	{"inherits unit and multiplier, not years", "It received $300 million in 2017 and 400 million in 2018.", comma, []want{
		{"$300 million", 300e6, "USD", "currency", "", ""},
		{"400 million", 400e6, "USD", "currency", "", ""}}},
	{"inherits in an aside", "2 million people (1 million in Iraq) and 3 million in Syria.", comma, []want{
		{"2 million", 2e6, "people", "count", "", ""},
		{"1 million", 1e6, "people", "count", "", "Iraq"},
		{"3 million", 3e6, "people", "count", "", "Syria"}}},
	{"space-grouped number inherits the unit, not the multiplier", "5 million people in Iraq and 10 000 in Syria.", comma, []want{
		{"5 million", 5e6, "people", "count", "", "Iraq"},
		{"10 000", 10000, "people", "count", "", "Syria"}}},
	{"no inheritance across a semicolon", "We raised $5 million; 3 joined later.", comma,
		[]want{{"$5 million", 5e6, "USD", "currency", "", ""}}},
	{"no inheritance into a partitive", "It displaced 3.2 million people, in 12 of its 14 provinces; $300 million went to 4 of the 6 agencies.", comma, []want{
		{"3.2 million", 3.2e6, "people", "count", "", ""},
		{"14", 14, "provinces", "count", "", ""},
		{"$300 million", 300e6, "USD", "currency", "", ""},
		{"6", 6, "agencies", "count", "", ""}}},
	{"a number said to be something counts it", "About 2 million people live in Iraq, and 50 were journalists; of the 400 troops, 50 are women.", comma, []want{
		{"2 million", 2e6, "people", "count", "about", "Iraq"},
		{"50", 50, "journalists", "count", "", "Iraq"},
		{"400", 400, "troops", "count", "", ""},
		{"50", 50, "women", "count", "", ""}}},
	{"a decimal or a participle after a copula still refers back", "Some 5.6 million refugees fled and 3.1 are children, and 3 were killed.", comma, []want{
		{"5.6 million", 5.6e6, "refugees", "count", "about", ""},
		{"3.1", 3.1e6, "refugees", "count", "", ""},
		{"3", 3e6, "refugees", "count", "", ""}}},
	{"a noun after a copula may be a compound or follow an adverb", "About 2 million people fled, and 300 were health workers, 50 were also journalists and 20 were young children; the EU pledged €2 billion, and 27 are member states.", comma, []want{
		{"2 million", 2e6, "people", "count", "about", ""},
		{"300", 300, "health_workers", "count", "", ""},
		{"50", 50, "journalists", "count", "", ""},
		{"20", 20, "young_children", "count", "", ""},
		{"€2 billion", 2e9, "EUR", "currency", "", ""},
		{"27", 27, "member_states", "count", "", ""}}},
	{"a unit or an adverb after a copula is no count noun", "Of the 300 flights, 40 were hours late; the war lasted 8 years, and 3 were years of famine; some 2 million people fled, and 500 were perhaps children.", comma, []want{
		{"300", 300, "flights", "count", "", ""},
		{"40", 40, "flights", "count", "", ""},
		{"8 years", 8, "year", "duration", "", ""},
		{"3", 3, "year", "duration", "", ""},
		{"2 million", 2e6, "people", "count", "about", ""},
		{"500", 500, "children", "count", "", ""}}},
	{"a number said to be something is not what the numbers after it refer to", "Of the 6 million refugees, 50 were journalists, 30 were killed and 2.5 million were children.", comma, []want{
		{"6 million", 6e6, "refugees", "count", "", ""},
		{"50", 50, "journalists", "count", "", ""},
		{"30", 30, "refugees", "count", "", ""},
		{"2.5 million", 2.5e6, "refugees", "count", "", ""}}},
	{"a decimal after a number said to be something keeps the multiplier", "Of the 6 million refugees, 50 were journalists, 30 were killed and 2.5 were children.", comma, []want{
		{"6 million", 6e6, "refugees", "count", "", ""},
		{"50", 50, "journalists", "count", "", ""},
		{"30", 30, "refugees", "count", "", ""},
		{"2.5", 2.5e6, "refugees", "count", "", ""}}},
	{"a sentence adverb after a copula is no part of the noun", "Of 2 million people, 50 were nevertheless journalists and 20 were themselves refugees.", comma, []want{
		{"2 million", 2e6, "people", "count", "", ""},
		{"50", 50, "journalists", "count", "", ""},
		{"20", 20, "refugees", "count", "", ""}}},
	{"a number said to be something ends its clause for places", "Of the 2 million people in Syria, 500 were children and 300 fled to Lebanon.", comma, []want{
		{"2 million", 2e6, "people", "count", "", "Syria"},
		{"500", 500, "children", "count", "", "Syria"},
		{"300", 300, "people", "count", "", "Lebanon"}}},
	{"of them refers back", "The UN counted 136.000 returnees, 12.577 of them to Anbar.", dot, []want{
		{"136.000", 136000, "returnees", "count", "", ""},
		{"12.577", 12577, "returnees", "count", "", "Anbar"}}},

	// Locations.
	{"demonyms bind to their own fact", "The army has 12 Syrian fighters and 500 British troops.", comma, []want{
		{"12", 12, "fighters", "count", "", "Syria"},
		{"500", 500, "troops", "count", "", "UK"}}},
	{"place before", "The UK sent 500 troops.", comma, []want{{"500", 500, "troops", "count", "", "UK"}}},
	{"organisation is no place", "NATO sent 500 troops.", comma, []want{{"500", 500, "troops", "count", "", ""}}},
	{"place inside organisation name", "The Islamic State of Iraq and Syria lost 40% of its revenue.", comma,
		[]want{{"40%", 40, "percent", "percent", "", ""}}},
	{"dotted country", "The U.S. pledged $5 million.", comma,
		[]want{{"$5 million", 5e6, "USD", "currency", "", "United States"}}},
	{"group shares location", "500 troops from 12 countries are deployed in Mali.", comma, []want{
		{"500", 500, "troops", "count", "", "Mali"},
		{"12", 12, "countries", "count", "", "Mali"}}},

	// Not facts.
	{"year with count noun after year word", "In 2000 troops were sent.", comma, nil},
	{"four digits with noun", "2000 troops were sent.", comma, []want{{"2000", 2000, "troops", "count", "", ""}}},
	{"identifier glued to word", "COVID-19 cases rose by 20%.", comma,
		[]want{{"20%", 20, "percent", "percent", "", ""}}},
	{"phone with plus", "Call +44 20 7946 0958 for details.", comma, nil},
	{"phone with leading zero", "We raised $5 million, call 020 7946 0958.", comma,
		[]want{{"$5 million", 5e6, "USD", "currency", "", ""}}},
	{"phone with dashes", "Call 555-123-4567.", comma, nil},
	{"year ranges", "People fled in 2014-2017 and from 2019 to 2023.", comma, nil},
	{"times dates decades names", "It opened at 10:30 am on 17 May 2018, the 1990s, a 5G network, 3D models.", comma, nil},
	{"identifiers", "Directive 2008/98/EC, ISO 9001, Resolution 68/262, version v1.2.3, No. 5 Squadron, see [3].", comma, nil},
	{"a label and colon before a number", "Note: 3 million people fled. NB: 40% returned.", comma, []want{
		{"3 million", 3e6, "people", "count", "", ""},
		{"40%", 40, "percent", "percent", "", ""}}},
	{"a note's number is a footnote", "See note 3 and notes 4 for details.", comma, nil},
	{"vague words", "There is a multi-year plan, thousands of people displaced and no Plan B.", comma, nil},
	{"ordinal date", "The deal ended on May 8th, 2018, and he came first.", comma, nil},

	// US/UK grouping.
	{"comma grouping", "The utility serves 18,310 households and 2,450 businesses.", comma, []want{
		{"18,310", 18310, "households", "count", "", ""},
		{"2,450", 2450, "businesses", "count", "", ""}}},
	{"comma grouping with decimals", "Leakage cost £1,234.5 million.", comma,
		[]want{{"£1,234.5 million", 1234.5e6, "GBP", "currency", "", ""}}},

	// Spaces, no-break spaces and thin spaces as group separators.
	{"space grouping", "The plant treats 10 000 tonnes.", comma,
		[]want{{"10 000 tonnes", 10000, "t", "mass", "", ""}}},
	{"no-break space grouping", "The plant treats 10\u00a0000 tonnes.", comma,
		[]want{{"10\u00a0000 tonnes", 10000, "t", "mass", "", ""}}},
	{"thin space grouping", "It employs 4\u2009500 staff and 1\u202f250\u202f000 volunteers.", comma, []want{
		{"4\u2009500", 4500, "staff", "count", "", ""},
		{"1\u202f250\u202f000", 1250000, "volunteers", "count", "", ""}}},
	{"several space groups", "Some 1 250 000 people live there.", unk,
		[]want{{"1 250 000", 1250000, "people", "count", "about", ""}}},
	{"space groups with a decimal comma", "Output rose to 10 000,5 tonnes.", dot,
		[]want{{"10 000,5 tonnes", 10000.5, "t", "mass", "", ""}}},
	{"space groups that start earlier are not merged", "In 2019 250 000 people moved.", comma, nil},
	{"space groups after a plus are a phone number", "Call +44 123 456 for details.", comma, nil},

	// Currencies before and after.
	{"currencies as symbols and codes", "The fund holds €3.1 billion, GBP 12 million and 80 million euros, plus EUR 450 million and CHF 2 million.", comma, []want{
		{"€3.1 billion", 3.1e9, "EUR", "currency", "", ""},
		{"GBP 12 million", 12e6, "GBP", "currency", "", ""},
		{"80 million euros", 80e6, "EUR", "currency", "", ""},
		{"EUR 450 million", 450e6, "EUR", "currency", "", ""},
		{"CHF 2 million", 2e6, "CHF", "currency", "", ""}}},
	{"money rate", "Rich countries promised $100 billion a year.", comma,
		[]want{{"$100 billion", 100e9, "USD_per_year", "rate", "", ""}}},

	// Numbers in words.
	{"small numbers", "The city draws water from three reservoirs and twelve member states signed.", comma, []want{
		{"three", 3, "reservoirs", "count", "", ""},
		{"twelve", 12, "member_states", "count", "", ""}}},
	{"a quarter of a million and a dozen", "They will deliver a quarter of a million doses to a dozen countries.", comma, []want{
		{"a quarter of a million", 250000, "doses", "count", "", ""},
		{"a dozen", 12, "countries", "count", "", ""}}},
	{"half a million, two million, twenty-five", "Half a million refugees and two million people fled; twenty-five schools closed.", comma, []want{
		{"Half a million", 500000, "refugees", "count", "", ""},
		{"two million", 2e6, "people", "count", "", ""},
		{"twenty-five", 25, "schools", "count", "", ""}}},
	{"hundreds", "A hundred and fifty nurses and two hundred thousand homes.", comma, []want{
		{"A hundred and fifty", 150, "nurses", "count", "", ""},
		{"two hundred thousand", 200000, "homes", "count", "", ""}}},
	{"number words need a noun of their own", "Three of the five reservoirs are full and one day more than three weeks passed.", comma, []want{
		{"five", 5, "reservoirs", "count", "", ""},
		{"three weeks", 3, "week", "duration", "more_than", ""}}},
	{"one and a are numbers only in phrases", "No one came, one of them left and a million people stayed.", comma,
		[]want{{"a million", 1e6, "people", "count", "", ""}}},

	// Ranges: both ends, with the range's unit and multiplier.
	{"dashed range", "Between 2–4 million people fled.", comma, []want{
		{"2–4 million", 2e6, "people", "count", "at_least", ""},
		{"2–4 million", 4e6, "people", "count", "at_most", ""}}},
	{"currency and percent ranges", "It costs €2–4 billion and 10–12% of GDP.", comma, []want{
		{"€2–4 billion", 2e9, "EUR", "currency", "at_least", ""},
		{"€2–4 billion", 4e9, "EUR", "currency", "at_most", ""},
		{"10–12%", 10, "percent", "percent", "at_least", ""},
		{"10–12%", 12, "percent", "percent", "at_most", ""}}},
	{"range in words", "Between 2 and 4 million people fled to Jordan.", comma, []want{
		{"2 and 4 million", 2e6, "people", "count", "at_least", "Jordan"},
		{"2 and 4 million", 4e6, "people", "count", "at_most", "Jordan"}}},
	{"a change is no range", "Inflation went from 5 to 8 per cent.", comma, []want{
		{"5 to 8 per cent", 5, "percent", "percent", "", ""},
		{"5 to 8 per cent", 8, "percent", "percent", "", ""}}},
	{"range with its own lower multiplier", "It reached 500,000–1 million people and about 2–4 million refugees.", comma, []want{
		{"500,000–1 million", 500000, "people", "count", "at_least", ""},
		{"500,000–1 million", 1e6, "people", "count", "at_most", ""},
		{"2–4 million", 2e6, "refugees", "count", "about", ""},
		{"2–4 million", 4e6, "refugees", "count", "about", ""}}},
	{"not ranges", "It ran in 2014–2017 and call 555-1234 today, on 2018-05-17, for 5-3 wins.", comma, nil},
	{"hyphenated ranges that measure", "About 2-4 million people fled, costing $2-3 billion, 10-12% of GDP and 2-3 weeks.", comma, []want{
		{"2-4 million", 2e6, "people", "count", "about", ""},
		{"2-4 million", 4e6, "people", "count", "about", ""},
		{"$2-3 billion", 2e9, "USD", "currency", "at_least", ""},
		{"$2-3 billion", 3e9, "USD", "currency", "at_most", ""},
		{"10-12%", 10, "percent", "percent", "at_least", ""},
		{"10-12%", 12, "percent", "percent", "at_most", ""},
		{"2-3 weeks", 2, "week", "duration", "at_least", ""},
		{"2-3 weeks", 3, "week", "duration", "at_most", ""}}},
	{"hyphens that name", "The 9-11 attacks, the 18-24 age group, a 3-1 vote and a 2-3 split.", comma, nil},
	{"a spaced hyphen joins counts", "About 5 - 6 refugees and between 500 - 1,000 troops arrived.", comma, []want{
		{"5 - 6", 5, "refugees", "count", "about", ""},
		{"5 - 6", 6, "refugees", "count", "about", ""},
		{"500 - 1,000", 500, "troops", "count", "at_least", ""},
		{"500 - 1,000", 1000, "troops", "count", "at_most", ""}}},
	{"a range's upper end is no range", "It rose from 2% to 4-5%.", comma, []want{
		{"2%", 2, "percent", "percent", "", ""},
		{"4-5%", 4, "percent", "percent", "at_least", ""},
		{"4-5%", 5, "percent", "percent", "at_most", ""}}},
	{"a hyphen before a comma or another hyphen", "Some 3 million people, 5-, fled 5-- no.", comma, []want{
		{"3 million", 3e6, "people", "count", "about", ""}}},
	{"a negative lower end is ambiguous", "Temperatures of -5-10 °C and growth of -2-3%.", comma, nil},
	{"ages are no durations", "Children aged 5-11 years and people aged 18–24 years.", comma, nil},
	{"a non-breaking hyphen is a hyphen", "About 2\u20114 million people fled, and 5\u20116 refugees.", comma, []want{
		{"2\u20114 million", 2e6, "people", "count", "about", ""},
		{"2\u20114 million", 4e6, "people", "count", "about", ""}}},
	{"age bands are no durations", "18-24 year olds, the 15–24 years age group and 12-year-olds.", comma, nil},
	{"percent on both ends", "Prices rose 10%-12%.", comma, []want{
		{"10%-12%", 10, "percent", "percent", "at_least", ""},
		{"10%-12%", 12, "percent", "percent", "at_most", ""}}},
	{"a hyphen after a number is no sign", "Prices rose 2-5% and fell -3%.", comma, []want{
		{"2-5%", 2, "percent", "percent", "at_least", ""},
		{"2-5%", 5, "percent", "percent", "at_most", ""},
		{"-3%", -3, "percent", "percent", "", ""}}},
	{"an age gap is a duration", "A 10-year age gap, the 15 years age group and the 5 years age bracket.", comma, []want{
		{"10-year", 10, "year", "duration", "", ""}}},
	{"an age band in words", "Children aged 5 to 11 years and those aged between 12 and 15 years received 2 doses.", comma, []want{
		{"2", 2, "doses", "count", "", ""}}},
	{"ages in months, weeks and days", "Children 6-59 months old, babies 0-6 weeks old, newborns 0–28 days old, adults 18-49 years of age and people 65 years of age.", comma, nil},
	{"a footnote after Note: mid-sentence", "Some 3 million people fled (see Note: 4), and 2 returned; see Note: 5.", comma, []want{
		{"3 million", 3e6, "people", "count", "about", ""},
		{"2", 2e6, "people", "count", "", ""}}},
	{"a label at the start after punctuation", "(Note: 2.5 million people fled.)", comma, []want{
		{"2.5 million", 2.5e6, "people", "count", "", ""}}},
	{"money ranges with m, bn and k on the ends", "It costs €5-6m, £2bn-3bn, $5m–10m and £10k-15k.", comma, []want{
		{"€5-6m", 5e6, "EUR", "currency", "at_least", ""},
		{"€5-6m", 6e6, "EUR", "currency", "at_most", ""},
		{"£2bn-3bn", 2e9, "GBP", "currency", "at_least", ""},
		{"£2bn-3bn", 3e9, "GBP", "currency", "at_most", ""},
		{"$5m–10m", 5e6, "USD", "currency", "at_least", ""},
		{"$5m–10m", 10e6, "USD", "currency", "at_most", ""},
		{"£10k-15k", 10e3, "GBP", "currency", "at_least", ""},
		{"£10k-15k", 15e3, "GBP", "currency", "at_most", ""}}},
	{"a glued multiplier before a range's dash", "About 10k-15k people marched and 2m-3m people fled.", comma, []want{
		{"10k-15k", 10e3, "people", "count", "about", ""},
		{"10k-15k", 15e3, "people", "count", "about", ""}}},
	{"the lower end on the upper end's scale", "Some 1,000-2,000 million euros and 500,000–1 million people.", comma, []want{
		{"1,000-2,000 million euros", 1e9, "EUR", "currency", "about", ""},
		{"1,000-2,000 million euros", 2e9, "EUR", "currency", "about", ""},
		{"500,000–1 million", 5e5, "people", "count", "at_least", ""},
		{"500,000–1 million", 1e6, "people", "count", "at_most", ""}}},
	{"a lower end whose scale is unsaid", "About 10–15,000 people and 800-1 million refugees fled, between 20 and 30,000 in Iraq.", comma, nil},
	{"a range whose scale may be unsaid gives neither end on its own", "Homes sold for £800-£1 million, between $300 and $1 billion or $5-$10,000; between 10 and 15,000 people died.", comma, nil},
	{"a lower end the thousand would not fit", "Between 1 and 1,000 people, 10–10,000 km and 0.5–1,000 tonnes.", comma, []want{
		{"1 and 1,000", 1, "people", "count", "at_least", ""},
		{"1 and 1,000", 1000, "people", "count", "at_most", ""},
		{"10–10,000 km", 10, "km", "length", "at_least", ""},
		{"10–10,000 km", 10000, "km", "length", "at_most", ""},
		{"0.5–1,000 tonnes", 0.5, "t", "mass", "at_least", ""},
		{"0.5–1,000 tonnes", 1000, "t", "mass", "at_most", ""}}},
	{"a lower end on its own scale", "Some 500–1,000 troops, 0–1,000 m, from 10 to 15,000 people and 2,000–3 million euros.", comma, []want{
		{"500–1,000", 500, "troops", "count", "about", ""},
		{"500–1,000", 1000, "troops", "count", "about", ""},
		{"0–1,000 m", 0, "m", "length", "at_least", ""},
		{"0–1,000 m", 1000, "m", "length", "at_most", ""},
		{"10 to 15,000", 10, "people", "count", "", ""},
		{"10 to 15,000", 15000, "people", "count", "", ""},
		{"2,000–3 million euros", 2000, "EUR", "currency", "at_least", ""},
		{"2,000–3 million euros", 3e6, "EUR", "currency", "at_most", ""}}},
	{"a range of money a year", "It costs $2-3 billion a year, or between $4 and 5 billion a year.", comma, []want{
		{"$2-3 billion", 2e9, "USD_per_year", "rate", "at_least", ""},
		{"$2-3 billion", 3e9, "USD_per_year", "rate", "at_most", ""},
		{"$4 and 5 billion", 4e9, "USD_per_year", "rate", "at_least", ""},
		{"$4 and 5 billion", 5e9, "USD_per_year", "rate", "at_most", ""}}},

	// Fractions are percentages of a whole; "-fold" is a ratio.
	{"fractions", "A third of the population and two-thirds of households use half of all water.", comma, []want{
		{"A third", 100.0 / 3, "percent", "percent", "", ""},
		{"two-thirds", 200.0 / 3, "percent", "percent", "", ""},
		{"half", 50, "percent", "percent", "", ""}}},
	{"one in five and a quarter", "One in five adults smoke; costs were cut by a quarter.", comma, []want{
		{"One in five", 20, "percent", "percent", "", ""},
		{"a quarter", 25, "percent", "percent", "", ""}}},
	{"an ordinal is no fraction", "A third reservoir was built.", comma, nil},
	{"fold", "There was a tenfold increase, a 10-fold rise and a threefold jump.", comma, []want{
		{"tenfold", 10, "times", "ratio", "", ""},
		{"10-fold", 10, "times", "ratio", "", ""},
		{"threefold", 3, "times", "ratio", "", ""}}},
	{"comparator on a fraction", "Nearly half of the water is lost.", comma,
		[]want{{"half", 50, "percent", "percent", "less_than", ""}}},

	// Superscript units and rates.
	{"superscripts", "The hall covers 12,000 m² and the tank holds 45 m³.", comma, []want{
		{"12,000 m²", 12000, "m2", "area", "", ""},
		{"45 m³", 45, "m3", "volume", "", ""}}},
	{"rates per second, per person and per day", "Pumps move 45 litres a second; residents use 150 litres per person a day, or 180 million litres a day.", comma, []want{
		{"45", 45, "litres_per_second", "rate", "", ""},
		{"150", 150, "litres_per_person_per_day", "rate", "", ""},
		{"180 million", 180e6, "litres_per_day", "rate", "", ""}}},

	// Rates from the words around the number.
	{"a sentence that opens with a period", "On an average day we put 180 million litres into supply through 2,450 km of mains.", comma, []want{
		{"180 million", 180e6, "litres_per_day", "rate", "", ""},
		{"2,450 km", 2450, "km", "length", "", ""}}},
	{"every year", "Every year 5,000 people move here.", comma,
		[]want{{"5,000", 5000, "people_per_year", "rate", "", ""}}},
	{"per dose", "It costs between £50 and £80 a dose.", comma, []want{
		{"£50 and £80", 50, "GBP_per_dose", "rate", "at_least", ""},
		{"£50 and £80", 80, "GBP_per_dose", "rate", "at_most", ""}}},
	{"a range of rates", "Needs are between $2 and $2.4 trillion a year.", comma, []want{
		{"$2 and $2.4 trillion", 2e12, "USD_per_year", "rate", "at_least", ""},
		{"$2 and $2.4 trillion", 2.4e12, "USD_per_year", "rate", "at_most", ""}}},
	{"a change downwards", "Leakage fell from 24 to 19 per cent.", comma, []want{
		{"24 to 19 per cent", 24, "percent", "percent", "", ""},
		{"24 to 19 per cent", 19, "percent", "percent", "", ""}}},
	{"pence", "It is £38 a year, or about 73p a week.", comma, []want{
		{"£38", 38, "GBP_per_year", "rate", "", ""},
		{"73p", 0.73, "GBP_per_week", "rate", "about", ""}}},
	{"times", "It flooded four times since 2000 and the board meets twelve times a year, three times as often.", comma, []want{
		{"four", 4, "times", "count", "", ""},
		{"twelve", 12, "times_per_year", "rate", "", ""},
		{"three", 3, "times", "ratio", "", ""}}},
	{"suspended hyphen", "Counting loans inflates the total two- or threefold.", comma, []want{
		{"two- or threefold", 2, "times", "ratio", "", ""},
		{"two- or threefold", 3, "times", "ratio", "", ""}}},
	{"half after a comparator, a third before a function word", "Grants cover just over half; rations were cut by a third in March.", comma, []want{
		{"half", 50, "percent", "percent", "more_than", ""},
		{"a third", 100.0 / 3, "percent", "percent", "", ""}}},
	{"over a period is no comparator", "The UK promised £11.6 billion over five years.", comma, []want{
		{"£11.6 billion", 11.6e9, "GBP", "currency", "", "UK"},
		{"five years", 5, "year", "duration", "", ""}}},
	{"a depth is no bound", "The meadows were under 1.5 m of water, under 2 km away.", comma, []want{
		{"1.5 m", 1.5, "m", "length", "", ""},
		{"2 km", 2, "km", "length", "less_than", ""}}},

	{"temperatures", "It reached 30 °C, 86°F and 40 degrees Celsius.", comma, []want{
		{"30 °C", 30, "degC", "temperature", "", ""},
		{"86°F", 86, "degF", "temperature", "", ""},
		{"40 degrees Celsius", 40, "degC", "temperature", "", ""}}},
	{"a degree sign stops inheritance", "It lasted 11 days above 30 °C.", comma, []want{
		{"11 days", 11, "day", "duration", "", ""},
		{"30 °C", 30, "degC", "temperature", "more_than", ""}}},
	{"shares in digits and words", "1 in 5 adults and three out of four crops, 2 out of 3 homes.", comma, []want{
		{"1 in 5", 20, "percent", "percent", "", ""},
		{"three out of four", 75, "percent", "percent", "", ""},
		{"2 out of 3", 200.0 / 3, "percent", "percent", "", ""}}},
	{"a fraction before a comparative", "Deaths were roughly a third lower.", comma,
		[]want{{"a third", 100.0 / 3, "percent", "percent", "about", ""}}},
	{"superlatives and main are adjectives", "The 6 hottest districts face four main pressures.", comma, []want{
		{"6", 6, "districts", "count", "", ""},
		{"four", 4, "pressures", "count", "", ""}}},
	{"a number with a multiplier takes no percent", "Hives grew by about 45%, to roughly 81 million.", comma,
		[]want{{"45%", 45, "percent", "percent", "about", ""}}},

	// Not facts.
	{"ages after aged", "About 9,400 residents aged over 75 live alone, up to the age of 45.", comma,
		[]want{{"9,400", 9400, "residents", "count", "about", ""}}},
	{"ages", "Pupils aged twelve or thirteen years old, and a 12-year-old.", comma, nil},
	{"a year before a singular noun", "The 2024 appeal and the 1991 law.", comma, nil},
	{"dates and ordinals", "It came into force on 3 March 2021, the 3rd such law.", comma, nil},
	{"directive, standard and resolution numbers", "Directive 2008/98/EC, ISO 9001 and Resolution 68/262 apply.", comma, nil},
	{"phone numbers", "Call +256 414 231 231 or 0800 123 4567.", comma, nil},
	{"footnote markers", "Cases rose [3] and deaths³ fell.", comma, nil},
	{"version numbers", "Version 2.3 of the plan, v1.2.3 and release 4.1 came out.", comma, nil},
}

func TestFacts(t *testing.T) {
	for _, tt := range factsTests {
		t.Run(tt.name, func(t *testing.T) {
			checkFacts(t, tt.sentence, tt.g, tt.want)
		})
	}
}

func checkFacts(t *testing.T, sentence string, g Grouping, wants []want) {
	t.Helper()
	got := Facts(sentence, g)
	var gotWants []want
	for _, f := range got {
		gotWants = append(gotWants, want{f.Raw, f.Value, f.Unit, f.Kind, f.Comparator, f.Location})
		if f.Raw != sentence[f.Start:f.End] {
			t.Errorf("Raw %q but sentence[%d:%d] is %q", f.Raw, f.Start, f.End, sentence[f.Start:f.End])
		}
	}
	if !reflect.DeepEqual(gotWants, wants) {
		t.Errorf("Facts(%q, %v)\n got %+v\nwant %+v", sentence, g, gotWants, wants)
	}
}

// articleTests are the sentences of the seed article, the Coalition against ISIS explainer,
// with the facts each states. Sentences with numbers that state no fact are included.
var articleTests = []struct {
	sentence string
	want     []want
}{
	{"Updated: May 17, 2018", nil},
	{"How many people have been liberated since 2014?", nil},
	{"Opening remarks at the Global Coalition to defeat ISIS, 2018", nil},
	{"The Global Coalition against ISIS was created in September 2014 and is unique in its membership, scope, and commitment.", nil},
	{"It is formed by 75 partners (including NATO, EU and Interpol) which ultimate goal is dismantling its networks, countering its expansion around the globe, disrupting its financing and economic structure, controlling and preventing the number of foreign fighters across the borders, restoring basic public services and combating ISIS’s powerful propaganda, in accordance with and in support of UN Security Council Resolution 2396 (2017).",
		[]want{{"75", 75, "partners", "count", "", ""}}},
	{"In Syria the coalition has assisted local partners defeating ISIS on the 95% of the territory controlled.",
		[]want{{"95%", 95, "percent", "percent", "", "Syria"}}},
	{"The Coalition actions have liberated 3.2 million people from ISIS in Syria and 4.5 million in Iraq.", []want{
		{"3.2 million", 3.2e6, "people", "count", "", "Syria"},
		{"4.5 million", 4.5e6, "people", "count", "", "Iraq"}}},
	{"ISIS has lost 107.600km2 since September 2014 across Syria and Iraq.",
		[]want{{"107.600km2", 107600, "km2", "area", "", "Syria, Iraq"}}},
	{"The Coalition has trained 12.577 members of the Syrian partner forces and trained 136.000 members of the Iraqi Security Forces.", []want{
		{"12.577", 12577, "members", "count", "", "Syria"},
		{"136.000", 136000, "members", "count", "", "Iraq"}}},
	{"ISIS’s oil output has been reduced by more than 10.000 barrels a day.",
		[]want{{"10.000", 10000, "barrels_per_day", "rate", "more_than", ""}}},
	{"Stabilization Working Group (S WG): coordinating and supporting international stabilization in Iraq and in certain areas in Syria, aiming at reinforcing non-sectarian governance in support of UN Security Council Resolution 2254 (2014).", nil},
	{"There is a huge $300 million shortfall to be covered by FFS (mainly West Mosul, thousands of people displaced) and the long-term reconstruction of Iraq, funded by the World Bank, the International Monetary Fund and the Iraqi government.",
		[]want{{"$300 million", 300e6, "USD", "currency", "", "Iraq"}}},
	{"The reconstruction needs a multi-year plan to create a safe environment to encourage private investment.", nil},
	{"UN Resolution 2396 (2017) on Foreign Terrorist Fighters (Returnees and Relocators) requires Member States to develop and implement systems to collect biometric data.", nil},
	{"How is the Coalition after the increasing tensions in the region after the US withdrawal of the Iran nuclear deal on May 8th, 2018?", nil},
	{"Tensions are increasing and there is no Plan B on the American side.", nil},
	{"9.000 troops from 23 countries are supporting efforts to defeat ISIS in Iraq and Syria.", []want{
		{"9.000", 9000, "troops", "count", "", "Iraq, Syria"},
		{"23", 23, "countries", "count", "", "Iraq, Syria"}}},
	{"4 million people have been liberated from ISIS (2.7 in Iraq and 1.4 in Syria).", []want{
		{"4 million", 4e6, "people", "count", "", ""},
		{"2.7", 2.7e6, "people", "count", "", "Iraq"},
		{"1.4", 1.4e6, "people", "count", "", "Syria"}}},
	{"The government of Iraq has isolated 90 banks branches controlled by ISIS, shutting off their access to funds.",
		[]want{{"90", 90, "bank_branches", "count", "", "Iraq"}}},
	{"43.000 names on Interpol database.", []want{{"43.000", 43000, "names", "count", "", ""}}},
	{"At least 60 countries now provide Interpol with foreign fighter profiles, an increase of 400%.", []want{
		{"60", 60, "countries", "count", "at_least", ""},
		{"400%", 400, "percent", "percent", "", ""}}},
}

func TestFactsArticleSentences(t *testing.T) {
	for _, tt := range articleTests {
		t.Run(tt.sentence[:min(40, len(tt.sentence))], func(t *testing.T) {
			checkFacts(t, tt.sentence, dot, tt.want)
		})
	}
}

// TestFactsArticle reads the whole seed article (a copy in testdata) the way the pipeline
// does and checks that exactly the facts of articleTests come out, 18 in all.
func TestFactsArticle(t *testing.T) {
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatalf("reading the article: %v", err)
	}
	text := string(b)
	g := DetectGrouping(text)
	if g != dot {
		t.Fatalf("DetectGrouping(article) = %v, want %v", g, dot)
	}
	var wantAll []want
	for _, tt := range articleTests {
		wantAll = append(wantAll, tt.want...)
	}
	var got []want
	for _, s := range SplitSentences(text) {
		for _, f := range Facts(s.Text, g) {
			got = append(got, want{f.Raw, f.Value, f.Unit, f.Kind, f.Comparator, f.Location})
		}
	}
	if len(got) != 18 || !reflect.DeepEqual(got, wantAll) {
		t.Errorf("article facts: got %d\n%+v\nwant %d\n%+v", len(got), got, len(wantAll), wantAll)
	}
}

func TestDetectGrouping(t *testing.T) {
	tests := []struct {
		name, text string
		want       Grouping
	}{
		{"article numbers", "136.000 members, 9.000 troops, 43.000 names, 10.000 barrels, 107.600km2, 3.2 million", dot},
		{"comma thousands", "2,450 km² and 18,310 refugees, £1.8 billion", comma},
		{"decimal only is neutral", "3.2 million people and 4.5 million", unk},
		{"empty", "", unk},
		{"several dot groups", "1.234.567 visitors", dot},
		{"mixed separators, dot decimal", "1,234.5 tonnes", comma},
		{"mixed separators, comma decimal", "1.234,5 tonnes", dot},
		{"decimal comma", "a rise of 3,5%", dot},
		{"identifiers do not vote", "v1.200 and 68/262,500", unk},
		{"tie", "1.500 and 2,500", unk},
		{"majority wins", "1.500, 2.500 and 3,500", dot},
		{"space groups do not vote", "10 000 tonnes and 1 250 000 people", unk},
		{"space groups with comma thousands", "10 000 tonnes, 2,450 km² and 18,310 households", comma},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectGrouping(tt.text); got != tt.want {
				t.Errorf("DetectGrouping(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestGroupingString(t *testing.T) {
	tests := map[Grouping]string{
		unk: "unknown", dot: "dot-thousands", comma: "comma-thousands", Grouping(9): "Grouping(9)",
	}
	for g, want := range tests {
		if got := g.String(); got != want {
			t.Errorf("Grouping(%d).String() = %q, want %q", int(g), got, want)
		}
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"numbers", "ISIS has lost 107.600km2 since September 2014. It is formed by 3.2 million people.",
			[]string{"ISIS has lost 107.600km2 since September 2014.", "It is formed by 3.2 million people."}},
		{"questions", "How many? What now! Fine.", []string{"How many?", "What now!", "Fine."}},
		{"abbreviations", "The U.S. Army sent troops, e.g. to Iraq. He lives at No. 5 St. Mark's Road. Done.",
			[]string{"The U.S. Army sent troops, e.g. to Iraq.", "He lives at No. 5 St. Mark's Road.", "Done."}},
		{"initial", "J. Smith wrote it. Then he left.", []string{"J. Smith wrote it.", "Then he left."}},
		{"parentheses", "It grew (see Fig. 2. It is big) last year. Done.",
			[]string{"It grew (see Fig. 2. It is big) last year.", "Done."}},
		{"sentence in parentheses", "(See above.) Next one.", []string{"(See above.)", "Next one."}},
		{"closing quote", `He said "stop." Then he left.`, []string{`He said "stop."`, "Then he left."}},
		{"lowercase continues", "Wait... then go. Now.", []string{"Wait... then go.", "Now."}},
		{"number starts sentence", "It was 2014. 75 partners joined.", []string{"It was 2014.", "75 partners joined."}},
		{"blank line and bullets", "Coalition in facts\n\n· 9.000 troops from 23 countries.\n· 4 million people\n• 43.000 names.",
			[]string{"Coalition in facts", "9.000 troops from 23 countries.", "4 million people", "43.000 names."}},
		{"soft line break", "It is\nformed by 75 partners.", []string{"It is\nformed by 75 partners."}},
		{"unbalanced bracket", "It grew (a lot. Then it fell.", []string{"It grew (a lot.", "Then it fell."}},
		{"empty", "", nil},
		{"white space", " \n\t ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := SplitSentences(tt.text)
			var got []string
			for _, s := range spans {
				got = append(got, s.Text)
				if tt.text[s.Start:s.End] != s.Text {
					t.Errorf("span %q has offsets [%d:%d] holding %q", s.Text, s.Start, s.End, tt.text[s.Start:s.End])
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSplitSentencesOffsets(t *testing.T) {
	text := "  Hello there. General Kenobi!  "
	want := []Span{{"Hello there.", 2, 14}, {"General Kenobi!", 15, 30}}
	if got := SplitSentences(text); !reflect.DeepEqual(got, want) {
		t.Errorf("SplitSentences(%q) = %+v, want %+v", text, got, want)
	}
}

func TestFactsOffsets(t *testing.T) {
	s := "Über 12.577 members and €3,5 million."
	got := Facts(s, dot)
	if len(got) != 2 {
		t.Fatalf("Facts(%q) = %+v, want 2 facts", s, got)
	}
	for _, f := range got {
		if strings.Index(s, f.Raw) != f.Start || f.End != f.Start+len(f.Raw) {
			t.Errorf("fact %q at [%d:%d], want byte offsets of its first occurrence", f.Raw, f.Start, f.End)
		}
	}
}
