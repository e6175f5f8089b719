package schemas

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseVersion splits a "MAJOR.MINOR.PATCH" version into its numbers.
func ParseVersion(v string) (major, minor, patch int, err error) {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return 0, 0, 0, fmt.Errorf("schema version %q: want MAJOR.MINOR.PATCH", v)
	}
	var n [3]int
	for i, p := range parts {
		if n[i], err = strconv.Atoi(p); err != nil || n[i] < 0 {
			return 0, 0, 0, fmt.Errorf("schema version %q: %q is not a number", v, p)
		}
	}
	return n[0], n[1], n[2], nil
}

// CompareVersions orders two versions numerically; unparsable versions sort first.
func CompareVersions(a, b string) int {
	a1, a2, a3, errA := ParseVersion(a)
	b1, b2, b3, errB := ParseVersion(b)
	switch {
	case errA != nil || errB != nil:
		return boolCmp(errA == nil, errB == nil)
	case a1 != b1:
		return a1 - b1
	case a2 != b2:
		return a2 - b2
	}
	return a3 - b3
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
