package transform

import (
	"regexp"
	"strings"
	"testing"
)

// The regular expressions readGroupItem and readBareName are written out from.
var (
	groupPattern    = regexp.MustCompile(`^([^():]+?)\s*\(([^()]+)\)\s*(?::|\s[–—-])\s*(.+)$`)
	bareNamePattern = regexp.MustCompile(`^([^():]+?)\s*\(([^()]+)\)\.?$`)
)

// checkNamedItem fails when readGroupItem or readBareName reads text otherwise than its
// regular expression.
func checkNamedItem(t *testing.T, text string) {
	t.Helper()
	name, abbr, desc, ok := readGroupItem(text)
	if m := groupPattern.FindStringSubmatch(text); (m != nil) != ok || m != nil && (m[1] != name || m[2] != abbr || m[3] != desc) {
		t.Errorf("readGroupItem(%q) = %q, %q, %q, %v; the pattern gives %q", text, name, abbr, desc, ok, m)
	}
	name, abbr, ok = readBareName(text)
	if m := bareNamePattern.FindStringSubmatch(text); (m != nil) != ok || m != nil && (m[1] != name || m[2] != abbr) {
		t.Errorf("readBareName(%q) = %q, %q, %v; the pattern gives %q", text, name, abbr, ok, m)
	}
}

func TestReadNamedItems(t *testing.T) {
	for _, text := range []string{
		"Counter-Finance Working Group (CIFG WG): disrupting ISIS’s revenues.",
		"Stabilization Task Force (STF) – coordinates the work",
		"Stabilization Task Force (STF) —coordinates", "Task Force (TF)- x", "Task Force (TF) -x",
		"Audit Committee (AC)", "Audit Committee (AC).", "Audit Committee (AC).. ", "Audit Committee(AC)",
		"4 million people have been liberated from ISIS (2.7 in Iraq and 1.4 in Syria).",
		"(AC): x", " (AC): x", "   (AC): x", "\t\n (AC): x", "A (B (C)): d", "A (B) (C): d", "A: (B): c",
		"A) (B): c", "A (): c", "A (B):", "A (B):  ", "A (B): \n", "A (B):\n x", "A (B): x\ny", "A (B)::",
		"A (B)\t: x", "A (B) \u00a0: x", "é (B): x", "é\u00a0 (B): x", "A\u2009(B): x", "A (B) \n– x",
		"A (B)–x", "A (B) –", "A (B) – ", "A (\xff): \xff", "\xff (B)", "A (B) \v: x", "A (B): x\r",
	} {
		checkNamedItem(t, text)
	}
}

func FuzzReadNamedItems(f *testing.F) {
	f.Add("Counter-Finance Working Group (CIFG WG): disrupting ISIS’s revenues.")
	f.Add("Stabilization Task Force (STF) – coordinates")
	f.Add("Audit Committee (AC).")
	f.Fuzz(func(t *testing.T, text string) {
		checkNamedItem(t, text)
		checkNamedItem(t, strings.ReplaceAll(text, "x", " "))
	})
}
