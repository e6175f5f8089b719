package schemas

import (
	"strings"
	"testing"
)

func TestHashID(t *testing.T) {
	long := strings.Repeat("x", 300) // past the stack buffer: hashed by the streaming path
	tests := []struct {
		parts []string
		want  string
	}{
		// Values of the first implementation (sha256.New, a write per part and per NUL),
		// checked against Python's hashlib: every id in every published table depends on
		// them not changing.
		{[]string{}, "e3b0c44298fc1c14"},
		{[]string{""}, "6e340b9cffb37a98"},
		{[]string{"url", "example.org/a"}, "a0686e91cb7aaba4"},
		{[]string{"ab", "c"}, "629c2f14f654f026"},
		{[]string{"a", "bc"}, "aa795aa4bbb61179"},
		{[]string{"doc", long}, "d2847228fc81c5c4"},
		{[]string{long[:255]}, "b662d09585b01484"},
	}
	for _, tt := range tests {
		got := HashID(tt.parts...)
		if got != tt.want {
			t.Errorf("HashID(%q) = %s, want %s", tt.parts, got, tt.want)
		}
		var h IDHash
		for _, p := range tt.parts {
			h.WriteString(p)
			h.EndPart()
		}
		if streamed := h.ID(); streamed != got {
			t.Errorf("HashID(%q) = %s, but IDHash gives %s", tt.parts, got, streamed)
		}
	}
}

// TestIDHashPieces checks that a part written in pieces, across the buffer's flushes, hashes
// as the part written whole.
func TestIDHashPieces(t *testing.T) {
	text := strings.Repeat("0123456789", 1000) // 10,000 bytes: two flushes of the 4 KiB buffer
	want := HashID("doc", "p/1/"+text, "")
	var h IDHash
	h.WriteString("doc")
	h.EndPart()
	for _, piece := range []string{"p", "/", "1", "/", text[:4090], text[4090:4100], text[4100:]} {
		h.WriteString(piece)
	}
	h.EndPart()
	h.EndPart()
	if got := h.ID(); got != want {
		t.Errorf("IDHash in pieces = %s, want HashID of the whole parts %s", got, want)
	}
}
