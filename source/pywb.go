package source

import (
	"bytes"
	"regexp"
	"time"
)

// pywb (the replay software of Archive-It, the UK Web Archive, Arquivo.pt, the Library of
// Congress and most institutional archives) inserts a block at the top of every page it
// replays, between "<!-- WB Insert -->" and "<!-- End WB Insert -->". Its first script sets
// wbinfo, the capture's details; wbinfo.timestamp is the capture time, 14 digits in UTC:
//
//	<!-- WB Insert -->
//	<script>wbinfo = {}; wbinfo.url = "https://…"; wbinfo.timestamp = "20180602123456"; …</script>
var (
	pywbInsert    = regexp.MustCompile(`(?s)<!--\s*WB Insert\s*-->(.*?)<!--\s*End WB Insert\s*-->`)
	pywbTimestamp = regexp.MustCompile(`\bwbinfo\.timestamp\s*=\s*["'](\d{14})["']`)
)

var pywbMarker = []byte("WB Insert")

// pywbCaptureTime returns the capture time of a page saved from pywb's replay, read from
// the wbinfo script of its insert block, or nil for any other page (a page that merely
// mentions wbinfo, outside such a block, included). The page is left as it is: the insert
// holds only scripts and style sheets, which extraction leaves out anyway, and the replay's
// rewritten canonical link is mapped back by extraction itself.
func pywbCaptureTime(page []byte) *time.Time {
	// Every page read is searched: the marker first, and its uncommon 'W' (index 0) is what
	// bytes.Index skips ahead to.
	if !bytes.Contains(page, pywbMarker) {
		return nil
	}
	insert := pywbInsert.FindSubmatch(page)
	if insert == nil {
		return nil
	}
	if m := pywbTimestamp.FindSubmatch(insert[1]); m != nil {
		return parseTimestamp(string(m[1]))
	}
	return nil
}
