package quantity

import "strings"

// The word lists of the scanner. Keys are lowercase unless said otherwise; multi-token keys
// are written as phrasesAt builds them: tokens joined by " " where white space separates
// them and by "" where they touch ("km²", "sq. km", "km/h").

// unitDef is a canonical unit and the kind of quantity it measures.
type unitDef struct{ unit, kind string }

// notationUnits are units written as notation next to the number: they have a canonical
// code and their text belongs to Fact.Raw ("107.600km2", "15 per cent", "2,450 km²").
var notationUnits = map[string]unitDef{
	"%": {"percent", "percent"}, "per cent": {"percent", "percent"}, "percent": {"percent", "percent"},
	"per-cent": {"percent", "percent"}, "pct": {"percent", "percent"},
	"percentage point": {"percentage_points", "percent"}, "percentage points": {"percentage_points", "percent"},

	"km2": {"km2", "area"}, "km²": {"km2", "area"}, "sq km": {"km2", "area"}, "sq. km": {"km2", "area"},
	"sq.km": {"km2", "area"}, "square km": {"km2", "area"}, "square kilometres": {"km2", "area"},
	"square kilometers": {"km2", "area"}, "square kilometre": {"km2", "area"}, "square kilometer": {"km2", "area"},
	"m2": {"m2", "area"}, "m²": {"m2", "area"}, "sq m": {"m2", "area"}, "sq. m": {"m2", "area"},
	"square metres": {"m2", "area"}, "square meters": {"m2", "area"}, "square metre": {"m2", "area"},
	"square meter": {"m2", "area"}, "sq mi": {"mi2", "area"}, "mi²": {"mi2", "area"},
	"square miles": {"mi2", "area"}, "square mile": {"mi2", "area"},
	"ha": {"ha", "area"}, "hectares": {"ha", "area"}, "hectare": {"ha", "area"},
	"acres": {"acre", "area"}, "acre": {"acre", "area"},

	"fold": {unitTimes, kindRatio},

	"km": {"km", "length"}, "kilometres": {"km", "length"}, "kilometers": {"km", "length"},
	"kilometre": {"km", "length"}, "kilometer": {"km", "length"},
	"m": {"m", "length"}, "metres": {"m", "length"}, "meters": {"m", "length"},
	"metre": {"m", "length"}, "meter": {"m", "length"},
	"mm": {"mm", "length"}, "millimetres": {"mm", "length"}, "millimeters": {"mm", "length"},
	"cm": {"cm", "length"}, "centimetres": {"cm", "length"}, "centimeters": {"cm", "length"},
	"miles": {"mi", "length"}, "mile": {"mi", "length"},

	"kg": {"kg", "mass"}, "kilograms": {"kg", "mass"}, "kilogram": {"kg", "mass"},
	"kilogrammes": {"kg", "mass"}, "kilos": {"kg", "mass"},
	"t": {"t", "mass"}, "tonnes": {"t", "mass"}, "tonne": {"t", "mass"}, "tons": {"t", "mass"},
	"ton": {"t", "mass"}, "metric tons": {"t", "mass"}, "metric tonnes": {"t", "mass"},

	"m3": {"m3", "volume"}, "m³": {"m3", "volume"}, "cubic metres": {"m3", "volume"},
	"cubic meters": {"m3", "volume"},

	"°c": {"degC", "temperature"}, "° c": {"degC", "temperature"}, "℃": {"degC", "temperature"},
	"degrees celsius": {"degC", "temperature"}, "degrees centigrade": {"degC", "temperature"},
	"°f": {"degF", "temperature"}, "° f": {"degF", "temperature"}, "℉": {"degF", "temperature"},
	"degrees fahrenheit": {"degF", "temperature"},

	"years": {"year", "duration"}, "year": {"year", "duration"}, "yrs": {"year", "duration"},
	"months": {"month", "duration"}, "month": {"month", "duration"},
	"weeks": {"week", "duration"}, "week": {"week", "duration"},
	"days": {"day", "duration"}, "day": {"day", "duration"},
	"hours": {"hour", "duration"}, "hour": {"hour", "duration"}, "hrs": {"hour", "duration"},
	"minutes": {"minute", "duration"}, "minute": {"minute", "duration"}, "mins": {"minute", "duration"},
	"seconds": {"second", "duration"},
	"decades": {"decade", "duration"}, "decade": {"decade", "duration"},
}

// measureNouns are units written as ordinary nouns: like count nouns they keep their
// spelling as the unit and stay out of Fact.Raw, but they measure something other than a
// count, so "45 litres a second" is litres_per_second.
var measureNouns = map[string]string{
	"litres": "volume", "liters": "volume", "barrels": "volume", "gallons": "volume",
}

// multiplierWords always scale the number before them.
var multiplierWords = map[string]float64{
	"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9,
	"trillion": 1e12, "trillions": 1e12, "bn": 1e9, "bln": 1e9, "mn": 1e6, "mln": 1e6,
	"tn": 1e12, "trn": 1e12,
}

// currencySymbols are written before the amount.
var currencySymbols = map[string]string{
	"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₺": "TRY",
	"₩": "KRW", "₪": "ILS", "₦": "NGN",
}

// dollarPrefixes are the letters glued before "$" that name which dollar ("US$", "A$").
// Keys are as written.
var dollarPrefixes = map[string]string{
	"US": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD", "HK": "HKD", "NZ": "NZD",
	"S": "SGD", "SG": "SGD", "R": "BRL", "MX": "MXN",
}

// isoCodes are the ISO 4217 codes recognised before or after an amount ("GBP 12 million",
// "5bn USD"). Keys are as written: a lowercase "try" or "all" is a word, not money.
var isoCodes = map[string]bool{
	"USD": true, "EUR": true, "GBP": true, "JPY": true, "CNY": true, "CHF": true, "CAD": true,
	"AUD": true, "NZD": true, "HKD": true, "SGD": true, "INR": true, "RUB": true, "TRY": true,
	"KRW": true, "ILS": true, "NGN": true, "BRL": true, "MXN": true, "ZAR": true, "SEK": true,
	"NOK": true, "DKK": true, "PLN": true, "CZK": true, "HUF": true, "SAR": true, "AED": true,
	"QAR": true, "KWD": true, "BHD": true, "OMR": true, "JOD": true, "EGP": true, "IQD": true,
	"SYP": true, "LBP": true, "IRR": true, "PKR": true, "AFN": true, "MAD": true, "DZD": true,
	"TND": true, "LYD": true,
}

// currencyWords name a currency after the amount ("80 million euros").
var currencyWords = map[string]string{
	"dollars": "USD", "dollar": "USD", "us dollars": "USD", "euros": "EUR", "euro": "EUR",
	"pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
	"rupees": "INR", "roubles": "RUB", "rubles": "RUB", "swiss francs": "CHF",
	"iraqi dinars": "IQD", "syrian pounds": "SYP", "lebanese pounds": "LBP", "dirhams": "AED",
}

// periods name the time unit of a rate after "a", "an", "per", "each" or "every".
var periods = map[string]string{
	"second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
	"month": "month", "year": "year", "annum": "year", "decade": "decade",
}

// slashPeriods name the time unit of a rate after a glued "/" ("km/h", "$5/day").
var slashPeriods = map[string]string{
	"s": "second", "sec": "second", "min": "minute", "h": "hour", "hr": "hour", "d": "day",
	"day": "day", "wk": "week", "week": "week", "mo": "month", "month": "month", "y": "year",
	"yr": "year", "year": "year",
}

// periodAdverbs make a rate on their own ("5,000 tonnes annually").
var periodAdverbs = map[string]string{
	"annually": "year", "yearly": "year", "daily": "day", "weekly": "week", "monthly": "month",
	"hourly": "hour",
}

// denominators are what a rate may be shared out over ("per person", "per household"),
// with the singular the unit takes.
var denominators = map[string]string{
	"person": "person", "capita": "person", "head": "person", "resident": "resident",
	"inhabitant": "inhabitant", "household": "household", "home": "household",
	"child": "child", "pupil": "pupil", "student": "student", "patient": "patient",
	"family": "family", "worker": "worker", "employee": "employee", "dose": "dose",
}

// rateIntros introduce the period of a rate.
var rateIntros = map[string]bool{"a": true, "an": true, "per": true, "each": true, "every": true}

// Comparator values of Fact.Comparator.
const (
	MoreThan = "more_than"
	AtLeast  = "at_least"
	LessThan = "less_than"
	AtMost   = "at_most"
	About    = "about"
)

// comparatorsBefore qualify the number they precede. "nearly", "almost" and "close to"
// are less_than: they say the true value falls short of the figure, which "about" would
// lose. "as many as" and "up to" are at_most: the figure is the top of the estimate.
var comparatorsBefore = map[string]string{
	"more than": MoreThan, "over": MoreThan, "above": MoreThan, "in excess of": MoreThan,
	"upwards of": MoreThan, "greater than": MoreThan, "higher than": MoreThan,
	"just over": MoreThan, "well over": MoreThan,
	"at least": AtLeast, "no fewer than": AtLeast, "no less than": AtLeast,
	"not fewer than": AtLeast, "not less than": AtLeast, "a minimum of": AtLeast,
	"less than": LessThan, "fewer than": LessThan, "under": LessThan, "below": LessThan,
	"lower than": LessThan, "just under": LessThan, "just below": LessThan,
	"nearly": LessThan, "almost": LessThan, "close to": LessThan,
	"at most": AtMost, "up to": AtMost, "no more than": AtMost, "not more than": AtMost,
	"a maximum of": AtMost, "as many as": AtMost, "as much as": AtMost,
	"about": About, "around": About, "approximately": About, "approx": About,
	"roughly": About, "some": About, "circa": About, "an estimated": About,
	"estimated": About,
}

// abbreviatedComparators are comparators written with a full stop ("c. 300", "approx. 5").
var abbreviatedComparators = map[string]string{"c": About, "ca": About, "approx": About}

// comparatorSymbols qualify the number they precede.
var comparatorSymbols = map[string]string{
	"~": About, "≈": About, ">": MoreThan, "<": LessThan, "≥": AtLeast, "≤": AtMost,
}

// comparatorsAfter qualify the quantity they follow ("500 people or more").
var comparatorsAfter = map[string]string{
	"or more": AtLeast, "or over": AtLeast, "or above": AtLeast,
	"or less": AtMost, "or fewer": AtMost, "or under": AtMost, "or below": AtMost,
}

// connectors join facts into a group that shares one location ("9.000 troops from 23
// countries ... in Iraq").
var connectors = map[string]bool{
	"from": true, "of": true, "in": true, "across": true, "among": true, "and": true,
	"or": true, "out of": true,
}

// nounStopwords end a count noun: a number followed by one of them has no noun of its own
// ("members of", "people have", "countries now").
var nounStopwords = setOf(`
	a an the this that these those its their his her our my your each every all some any no
	of in on at from to for with by about across into onto over under since during per than
	as between among through after before against within without including via like near
	toward towards upon until till around along behind beyond inside outside
	and or but nor yet so while whereas if because although though unless whether
	it they we he she you i them us him me which who whom whose what where when how why
	is are was were be been being have has had do does did will would can could may might
	must shall should
	now also still already only just then there here not even too very more less fewer most
	least much many again ever never soon yet once twice times time
	said says say told according
	perhaps always sometimes ours yours theirs hers
	`)

// adjectives may stand between a number and its noun without being part of the unit
// ("5 more countries", "10 new schools"). Demonyms are skipped the same way.
var adjectives = setOf(`more other additional further new extra different separate main major
	key principal overseas`)

// identifierWords make the number after them a name, not a quantity ("Resolution 2396",
// "ISO 9001", "Article 5", "Tel. 555"). "No" is handled apart because "no" is also a word.
var identifierWords = setOf(`
	resolution resolutions article articles art section sections sec chapter chapters
	paragraph paragraphs para annex annexes appendix clause clauses directive directives
	regulation regulations decree decrees iso iec en rfc cve law laws rule rules protocol
	amendment page pages p pp vol volume volumes issue edition item items figure fig table
	tables box step phase level tier grade class category type version ver v release
	room suite flight route highway platform gate case docket ref reference id code model
	part schedule exhibit footnote note nos nr tel telephone phone fax mobile hotline ext
	extension serial zip postcode
	`)

// months make the number beside them a day or a year ("May 17, 2018", "17 May").
// Keys are as written: lowercase "may" and "march" are ordinary words.
var months = map[string]bool{
	"January": true, "February": true, "March": true, "April": true, "May": true, "June": true,
	"July": true, "August": true, "September": true, "October": true, "November": true,
	"December": true, "Jan": true, "Feb": true, "Mar": true, "Apr": true, "Jun": true,
	"Jul": true, "Aug": true, "Sep": true, "Sept": true, "Oct": true, "Nov": true, "Dec": true,
}

// yearContext words before a four-digit number make it a year even when a noun follows
// ("in 2000 troops were sent" is read as a year).
var yearContext = setOf(`in since until till during before after by through circa year
	fiscal fy early late mid spring summer autumn fall winter`)

// timeWords after a number make it a clock time.
var timeWords = setOf(`am pm o'clock o’clock gmt utc`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
