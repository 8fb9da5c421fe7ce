package dubinfo

import (
	"fmt"
	"strings"
	"testing"
)

// realScale builds a file the size of the 2026 upstream: 5,731 dubbed and
// 167 incomplete ids, pretty-printed one id per line.
func realScale() []byte {
	var b strings.Builder
	b.WriteString("{\n  \"_license\": \"x\",\n  \"dubbed\": [")
	for i := 1; i <= 5731; i++ {
		fmt.Fprintf(&b, "\n    %d,", i*11)
	}
	b.WriteString("\n    99999\n  ],\n  \"incomplete\": [")
	for i := 1; i <= 167; i++ {
		fmt.Fprintf(&b, "\n    %d,", i*13+1)
	}
	b.WriteString("\n    99998\n  ]\n}\n")
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	data := realScale()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatus(b *testing.B) {
	l, err := Parse(realScale())
	if err != nil {
		b.Fatal(err)
	}
	id := 0
	for b.Loop() {
		id = (id + 7919) % 70000
		_ = l.Status(id)
	}
}

func BenchmarkDiff(b *testing.B) {
	prev, err := Parse(realScale())
	if err != nil {
		b.Fatal(err)
	}
	next := New(append(prev.Dubbed()[10:], 100001, 100002), prev.Incomplete())
	for b.Loop() {
		if len(Diff(prev, next)) != 12 {
			b.Fatal("unexpected diff size")
		}
	}
}
