package quantity

import (
	"sort"
	"strings"
)

// The place lexicon. Names are matched as written (case matters: "US" is a country, "us"
// a pronoun) and the longest name wins, so "Saudi Arabia" beats "Saudi" and "European
// Union" beats "European".

// placeNames are countries, regions and cities, each with its canonical name. A bare
// name maps to itself.
var placeNames = canonical(`
	Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain
	Bangladesh Belarus Belgium Benin Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada
	Chad Chile China Colombia Croatia Cuba Cyprus Denmark Djibouti Ecuador Egypt Eritrea
	Estonia Ethiopia Finland France Georgia Germany Ghana Greece Hungary Iceland India
	Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Kosovo Kuwait
	Kyrgyzstan Latvia Lebanon Libya Lithuania Luxembourg Mali Malaysia Malta Mauritania
	Mexico Moldova Montenegro Morocco Mozambique Myanmar Nepal Netherlands Niger Nigeria
	Norway Oman Pakistan Palestine Panama Peru Philippines Poland Portugal Qatar Romania
	Russia Rwanda Senegal Serbia Singapore Slovakia Slovenia Somalia Spain Sudan Sweden
	Switzerland Syria Taiwan Tajikistan Tanzania Thailand Tunisia Turkey Turkmenistan Uganda
	Ukraine UAE UK Uzbekistan Venezuela Vietnam Yemen Zambia Zimbabwe
	Europe Africa Asia Sahel Levant Kurdistan Mosul Raqqa Aleppo Damascus Baghdad Fallujah
	Ramadi Tikrit Kirkuk Erbil Idlib Homs Palmyra Sinjar Anbar Nineveh Sirte Marawi Kabul
	Tripoli Beirut Amman Ankara Tehran Riyadh London Paris Brussels Washington Moscow Gaza
	Sinai Congo Burundi
	`, map[string]string{
	"Burkina Faso": "Burkina Faso", "Costa Rica": "Costa Rica", "Czech Republic": "Czech Republic",
	"New Zealand": "New Zealand", "North Korea": "North Korea", "South Korea": "South Korea",
	"North Macedonia": "North Macedonia", "Saudi Arabia": "Saudi Arabia",
	"Sierra Leone": "Sierra Leone", "South Africa": "South Africa", "South Sudan": "South Sudan",
	"Sri Lanka": "Sri Lanka", "Bosnia and Herzegovina": "Bosnia",
	"United Arab Emirates": "UAE", "U.A.E.": "UAE",
	"United Kingdom": "UK", "U.K.": "UK", "Britain": "UK", "Great Britain": "UK",
	"United States": "United States", "United States of America": "United States",
	"US": "United States", "U.S.": "United States", "USA": "United States",
	"America":     "United States",
	"Middle East": "Middle East", "North Africa": "North Africa", "West Africa": "West Africa",
	"East Africa": "East Africa", "Latin America": "Latin America",
	"North America": "North America", "South America": "South America",
	"Central Asia": "Central Asia", "South East Asia": "Southeast Asia",
	"Southeast Asia": "Southeast Asia", "West Mosul": "West Mosul", "East Mosul": "East Mosul",
	"Deir ez-Zor": "Deir ez-Zor", "Tal Afar": "Tal Afar", "West Bank": "West Bank",
	"Iraqi Kurdistan": "Kurdistan",
})

// demonyms name a place through its people ("Syrian partner forces" is Syria). Ethnic
// names without one state ("Kurdish", "Arab") are left out.
var demonyms = map[string]string{
	"Afghan": "Afghanistan", "Algerian": "Algeria", "American": "United States",
	"Australian": "Australia", "Austrian": "Austria", "Bahraini": "Bahrain", "Belgian": "Belgium",
	"British": "UK", "Canadian": "Canada", "Chinese": "China", "Danish": "Denmark",
	"Dutch": "Netherlands", "Egyptian": "Egypt", "Emirati": "UAE", "European": "Europe",
	"Finnish": "Finland", "French": "France", "German": "Germany", "Greek": "Greece",
	"Indian": "India", "Indonesian": "Indonesia", "Iranian": "Iran", "Iraqi": "Iraq",
	"Irish": "Ireland", "Israeli": "Israel", "Italian": "Italy", "Japanese": "Japan",
	"Jordanian": "Jordan", "Kuwaiti": "Kuwait", "Lebanese": "Lebanon", "Libyan": "Libya",
	"Malaysian": "Malaysia", "Malian": "Mali", "Moroccan": "Morocco", "Nigerian": "Nigeria",
	"Norwegian": "Norway", "Omani": "Oman", "Pakistani": "Pakistan", "Palestinian": "Palestine",
	"Filipino": "Philippines", "Polish": "Poland", "Portuguese": "Portugal", "Qatari": "Qatar",
	"Russian": "Russia", "Saudi": "Saudi Arabia", "Somali": "Somalia", "Spanish": "Spain",
	"Sudanese": "Sudan", "Swedish": "Sweden", "Swiss": "Switzerland", "Syrian": "Syria",
	"Tunisian": "Tunisia", "Turkish": "Turkey", "Ukrainian": "Ukraine", "Yemeni": "Yemen",
	"Chadian": "Chad", "Kenyan": "Kenya", "Ugandan": "Uganda", "Ethiopian": "Ethiopia",
	"Eritrean": "Eritrea", "Congolese": "Congo", "Rwandan": "Rwanda", "Burundian": "Burundi",
	"South Sudanese": "South Sudan", "Cameroonian": "Cameroon", "Ghanaian": "Ghana",
	"Senegalese": "Senegal", "Tanzanian": "Tanzania", "Zambian": "Zambia",
	"Zimbabwean": "Zimbabwe", "Mexican": "Mexico", "Brazilian": "Brazil",
}

// organisations are names that contain or look like places but are not places: the
// span they cover yields nothing ("Islamic State of Iraq and Syria", "European Union").
var organisations = strings.Fields(`NATO EU UN Interpol INTERPOL Europol IMF ISIS ISIL Daesh
	OSCE OPEC GCC UNHCR UNICEF UNDP WHO`)

var organisationNames = []string{
	"European Union", "United Nations", "World Bank", "International Monetary Fund",
	"Islamic State", "Islamic State of Iraq and Syria", "Islamic State of Iraq and the Levant",
	"Arab League", "League of Arab States", "African Union", "Gulf Cooperation Council",
	"Organization of American States", "Red Cross", "Security Council",
}

func canonical(bare string, named map[string]string) map[string]string {
	m := map[string]string{}
	for _, w := range strings.Fields(bare) {
		m[w] = w
	}
	for k, v := range named {
		m[k] = v
	}
	return m
}

// placeEntry is one name the matcher looks for; place is "" for organisations.
type placeEntry struct{ name, place string }

// placeIndex holds every entry by its first byte, longest name first. It is an array, not
// a map: it is asked at the start of every word of a sentence with numbers.
var placeIndex = buildPlaceIndex()

func buildPlaceIndex() *[256][]placeEntry {
	var all []placeEntry
	for name, place := range placeNames {
		all = append(all, placeEntry{name, place})
	}
	for name, place := range demonyms {
		all = append(all, placeEntry{name, place})
		// Plural demonyms name the people too: "Syrians", "Iraqis".
		if last := name[len(name)-1]; last == 'n' || last == 'i' {
			all = append(all, placeEntry{name + "s", place})
		}
	}
	for _, name := range append(organisations, organisationNames...) {
		all = append(all, placeEntry{name, ""})
	}
	sort.Slice(all, func(i, j int) bool {
		if len(all[i].name) != len(all[j].name) {
			return len(all[i].name) > len(all[j].name)
		}
		return all[i].name < all[j].name
	})
	index := new([256][]placeEntry)
	for _, e := range all {
		index[e.name[0]] = append(index[e.name[0]], e)
	}
	return index
}

func isDemonym(w string) bool {
	_, ok := demonyms[w]
	return ok
}
