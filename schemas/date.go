package schemas

import (
	"fmt"
	"time"
)

// Date is a calendar date stored as days since 1970-01-01.
//
// It exists because parquet-go writes a time.Time tagged `date` with a wrong value (measured:
// 2018-05-17 reads back as year -5131924), while an int32 tagged `date` reads back correctly
// in parquet-go, arrow-go and DuckDB. In JSON it is written as "YYYY-MM-DD".
type Date int32

// NewDate returns the Date of the given calendar day.
func NewDate(year int, month time.Month, day int) Date {
	return Date(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	return NewDate(t.Year(), t.Month(), t.Day())
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// MarshalJSON writes the date as a "YYYY-MM-DD" string, the form BigQuery and DuckDB load as DATE.
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads a "YYYY-MM-DD" string.
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date %s: want a \"YYYY-MM-DD\" string", b)
	}
	t, err := time.Parse(time.DateOnly, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("date %s: %w", b, err)
	}
	*d = DateOf(t)
	return nil
}
