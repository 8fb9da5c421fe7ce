package dubinfo

import (
	"errors"
	"slices"
	"testing"

	"dubbot/anime"
)

func mustParse(t testing.TB, name string) *List {
	t.Helper()
	l, err := Parse(readFixture(t, name))
	if err != nil {
		t.Fatalf("Parse %s: %v", name, err)
	}
	return l
}

func TestDiffFixtures(t *testing.T) {
	got := Diff(mustParse(t, "dubinfo-older.json"), mustParse(t, "dubinfo.json"))
	want := []Change{
		{1520, NowPartial, anime.DubDubbed, anime.DubPartial},
		{20583, DubCompleted, anime.DubPartial, anime.DubDubbed},
		{38000, NewlyDubbed, anime.DubNone, anime.DubDubbed},
		{44073, NowPartial, anime.DubDubbed, anime.DubPartial},
		{52991, NewlyDubbed, anime.DubNone, anime.DubDubbed},
		{54907, Removed, anime.DubDubbed, anime.DubNone},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Diff =\n%v\nwant\n%v", got, want)
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name       string
		prev, next *List
		want       []Change
	}{
		{"same", New([]int{1}, []int{2}), New([]int{1}, []int{2}), nil},
		{"new partial", New([]int{1}, nil), New([]int{1}, []int{9}),
			[]Change{{9, NewlyDubbed, anime.DubNone, anime.DubPartial}}},
		{"partial removed", New(nil, []int{4}), New([]int{1}, nil),
			[]Change{{1, NewlyDubbed, anime.DubNone, anime.DubDubbed}, {4, Removed, anime.DubPartial, anime.DubNone}}},
		{"first load", nil, New([]int{3}, []int{2}),
			[]Change{{2, NewlyDubbed, anime.DubNone, anime.DubPartial}, {3, NewlyDubbed, anime.DubNone, anime.DubDubbed}}},
		{"next nil", New([]int{3}, nil), nil, []Change{{3, Removed, anime.DubDubbed, anime.DubNone}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.prev, tt.next); !slices.Equal(got, tt.want) {
				t.Errorf("Diff = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckShrink(t *testing.T) {
	ten := New([]int{1, 2, 3, 4, 5, 6, 7, 8}, []int{9, 10})
	tests := []struct {
		name     string
		prev     *List
		next     *List
		maxLoss  float64
		vanished int // 0 means no error expected
	}{
		{"first load", nil, New([]int{1}, nil), DefaultMaxLoss, 0},
		{"growth", ten, New([]int{1, 2, 3, 4, 5, 6, 7, 8, 11}, []int{9, 10}), DefaultMaxLoss, 0},
		{"moves are not losses", ten, New([]int{9, 10}, []int{1, 2, 3, 4, 5, 6, 7, 8}), DefaultMaxLoss, 0},
		{"exactly the limit", ten, New([]int{1, 2, 3, 4, 5, 6, 7, 8}, nil), DefaultMaxLoss, 0},
		{"one over the limit", ten, New([]int{1, 2, 3, 4, 5, 6, 7}, nil), DefaultMaxLoss, 3},
		{"truncated file", ten, New([]int{1}, nil), DefaultMaxLoss, 9},
		{"new ids do not hide losses", ten, New([]int{1, 2, 3, 4, 5, 6, 7, 100, 101, 102}, nil), DefaultMaxLoss, 3},
		{"no loss allowed", ten, New([]int{1, 2, 3, 4, 5, 6, 7, 8, 9}, nil), 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckShrink(tt.prev, tt.next, tt.maxLoss)
			if tt.vanished == 0 {
				if err != nil {
					t.Fatalf("CheckShrink = %v, want nil", err)
				}
				return
			}
			se, ok := errors.AsType[*ShrinkError](err)
			if !ok {
				t.Fatalf("CheckShrink = %v, want *ShrinkError", err)
			}
			if se.Vanished != tt.vanished || se.Known != 10 {
				t.Errorf("vanished %d of %d, want %d of 10", se.Vanished, se.Known, tt.vanished)
			}
		})
	}
}

func TestShrinkErrorMessage(t *testing.T) {
	err := CheckShrink(New([]int{1, 2, 3, 4}, nil), New([]int{1}, nil), DefaultMaxLoss)
	want := "dubInfo shrank suspiciously: 3 of 4 known ids vanished (75.0%, limit 20.0%)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
