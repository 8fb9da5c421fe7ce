package forum

import (
	"slices"
	"strconv"
	"testing"
)

func TestEpisodeRises(t *testing.T) {
	show := func(id, eps int) Show { return Show{MALID: id, Title: "T" + strconv.Itoa(id), Episodes: eps} }
	prev := &Schedule{Shows: []Show{show(1, 5), show(2, 7), show(3, 10), show(4, 3), show(5, 2), show(5, 2)}}
	next := &Schedule{Shows: []Show{
		show(2, 9),  // batch drop: two new episodes
		show(1, 6),  // one new episode
		show(3, 9),  // fell: a correction, not a rise
		show(6, 1),  // new to the list: no earlier counter
		show(5, 3),  // listed on two days
		show(5, 3),  //   counts once
		show(7, 40), // prev has no such show
	}}
	want := []Rise{{2, "T2", 7, 9}, {1, "T1", 5, 6}, {5, "T5", 2, 3}}
	if got := EpisodeRises(prev, next); !slices.Equal(got, want) {
		t.Errorf("EpisodeRises = %+v, want %+v", got, want)
	}
	if got := EpisodeRises(nil, next); got != nil {
		t.Errorf("EpisodeRises(nil, next) = %+v, want nil", got)
	}
	if got := EpisodeRises(next, next); got != nil {
		t.Errorf("EpisodeRises(same) = %+v, want nil", got)
	}
}
