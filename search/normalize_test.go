package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Shingeki no Kyojin", "shingeki no kyojin"},
		{"Attack on Titan S2", "attack on titan 2"},
		{"Shingeki no Kyojin Season 2", "shingeki no kyojin 2"},
		{"Re:Zero 2nd Season", "re zero 2"},
		{"Haikyuu!! Second Season", "haikyu 2"},
		{"Overlord II", "overlord 2"},
		{"Mob Psycho 100 III", "mob psycho 100 3"},
		{"Spy x Family Part 2", "spy x family part 2"},
		{"Season2", "2"},
		{"The Final Season", "the final season"},
		{"JoJo's Bizarre Adventure", "jojos bizarre adventure"},
		{"Kaguya-sama: Love is War", "kaguya sama love is war"},
		{"Death & Rebirth", "death and rebirth"},
		{"Pokémon", "pokemon"},
		{"Shōnen", "shonen"},
		{"Shounen Shoonen Shohnen", "shonen shonen shonen"},
		{"Ohayou", "ohayo"},
		{"Sono Bisque Doll wa Koi wo Suru", "sono bisque doll wa koi o suru"},
		{"Sempai", "senpai"},
		{"ＮＡＲＵＴＯ", "naruto"},
		{"ｶﾞﾝﾀﾞﾑ", "ガンダム"},
		{"NARUTO -ナルト-", "naruto ナルト"},
		{"Hunter × Hunter", "hunter x hunter"},
		{"Ranma ½", "ranma 1 2"},
		{"Yuu☆Yuu☆Hakusho", "yu yu hakusho"},
		{"Steins;Gate 0", "steins gate 0"},
		{"aot2", "aot 2"},
		{"  Many   spaces\tand\nlines ", "many spaces and lines"},
		{"Straße", "strasse"},
		{"", ""},
		{"!!!", ""},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTerms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"進撃の巨人", "進撃 撃の の巨 巨人"},
		{"進撃の巨人 Season2", "進撃 撃の の巨 巨人 2"},
		{"君", "君"},
		{"Attack on Titan", "attack on titan"},
	} {
		if got := strings.Join(terms(c.in), " "); got != c.want {
			t.Errorf("terms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Shingeki no Kyojin Season 2", "Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season",
		"ＳＰＹ×ＦＡＭＩＬＹ", "Pokémon", "Kaguya-sama wa Kokurasetai?", "Ohh hou ouu iiv",
		"season season 2", "ｶﾞﾝﾀﾞﾑ", "\xff\xfe broken", "ǅ ẞ İ ℌ Ω", "第2期 Ⅱ", "0002nd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Normalize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Normalize(%q) = %q, not valid UTF-8", s, out)
		}
		if again := Normalize(out); again != out {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, out, again)
		}
		if strings.Contains(out, "  ") || strings.TrimSpace(out) != out {
			t.Fatalf("Normalize(%q) = %q, stray spaces", s, out)
		}
		for _, term := range terms(s) {
			if term == "" || strings.Contains(term, " ") {
				t.Fatalf("terms(%q) has term %q", s, term)
			}
		}
	})
}
