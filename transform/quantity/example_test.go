package quantity_test

import (
	"fmt"

	"github.com/articleetl/articleetl/transform/quantity"
)

func ExampleFacts() {
	article := "ISIS has lost 107.600km2 since September 2014. " +
		"The Coalition actions have liberated 3.2 million people from ISIS in Syria and 4.5 million in Iraq. " +
		"ISIS’s oil output has been reduced by more than 10.000 barrels a day."
	g := quantity.DetectGrouping(article)
	fmt.Println(g)
	for _, s := range quantity.SplitSentences(article) {
		for _, f := range quantity.Facts(s.Text, g) {
			fmt.Printf("%q = %.0f %s (%s) %q %q\n", f.Raw, f.Value, f.Unit, f.Kind, f.Comparator, f.Location)
		}
	}
	// Output:
	// dot-thousands
	// "107.600km2" = 107600 km2 (area) "" ""
	// "3.2 million" = 3200000 people (count) "" "Syria"
	// "4.5 million" = 4500000 people (count) "" "Iraq"
	// "10.000" = 10000 barrels_per_day (rate) "more_than" ""
}

func ExampleSplitSentences() {
	for _, s := range quantity.SplitSentences("The U.S. pledged $5 million. 9.000 troops (from 23 countries. Mostly NATO.) are deployed.") {
		fmt.Printf("%d-%d %s\n", s.Start, s.End, s.Text)
	}
	// Output:
	// 0-28 The U.S. pledged $5 million.
	// 29-89 9.000 troops (from 23 countries. Mostly NATO.) are deployed.
}
