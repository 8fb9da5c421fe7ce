package search

import (
	"slices"
	"strings"
	"testing"

	"dubbot/anime"
)

// TestRankingRules pins each ranking rule on a small catalog of the
// entries it must tell apart, modelled on confusions in MAL-sized data.
func TestRankingRules(t *testing.T) {
	for _, c := range []struct {
		rule  string
		query string
		items []anime.Anime
		want  int
	}{
		{
			rule: "listed and generated initials rank alike, popularity decides", query: "kny",
			items: []anime.Anime{
				{ID: 1145, Title: "Kaze no Youjinbou", English: "Kaze no Yojimbo", Synonyms: []string{"KnY"}, Type: "TV", Members: 15000},
				{ID: 38000, Title: "Kimetsu no Yaiba", English: "Demon Slayer: Kimetsu no Yaiba", Type: "TV", Members: 3000000},
			},
			want: 38000,
		},
		{
			rule: "a year disambiguator need not be typed", query: "ubw",
			items: []anime.Anime{
				{ID: 356, Title: "Fate/stay night", Type: "TV", Year: 2006, Members: 940000},
				{ID: 6922, Title: "Fate/stay night Movie: Unlimited Blade Works", Synonyms: []string{"ubw"}, Type: "Movie", Year: 2010, Members: 227000},
				{ID: 22297, Title: "Fate/stay night: Unlimited Blade Works", Synonyms: []string{"[UBW] 2014"}, Type: "TV", Year: 2014, Members: 1070000},
			},
			want: 22297,
		},
		{
			rule: "a namesake without a disambiguator is the original", query: "hagane no renkinjutsushi",
			items: []anime.Anime{
				{ID: 121, Title: "Hagane no Renkinjutsushi", English: "Fullmetal Alchemist", Type: "TV", Year: 2003, Members: 1500000},
				{ID: 5114, Title: "Hagane no Renkinjutsushi: Fullmetal Alchemist", English: "Fullmetal Alchemist: Brotherhood",
					Synonyms: []string{"Hagane no Renkinjutsushi (2009)"}, Type: "TV", Year: 2009, Members: 3300000},
			},
			want: 121,
		},
		{
			rule: "among equal names the TV series wins", query: "mirai nikki",
			items: []anime.Anime{
				{ID: 8460, Title: "Mirai Nikki", Japanese: "未来日記", Type: "OVA", Year: 2010, Members: 240000},
				{ID: 10620, Title: "Mirai Nikki (TV)", English: "The Future Diary", Type: "TV", Year: 2011, Members: 2000000},
			},
			want: 10620,
		},
		{
			rule: "a side entry titled after its series ranks below it", query: "jojo stardust crusaders",
			items: []anime.Anime{
				{ID: 20899, Title: "JoJo no Kimyou na Bouken Part 3: Stardust Crusaders", Type: "TV", Year: 2014, Members: 1210000,
					Synonyms: []string{"JoJo no Kimyou na Bouken: Stardust Crusaders"}},
				{ID: 26055, Title: "JoJo no Kimyou na Bouken Part 3: Stardust Crusaders - Egypt-hen", Type: "TV", Year: 2015, Members: 1110000,
					Synonyms: []string{"JoJo Part III: Stardust Crusaders (2015)"}},
			},
			want: 20899,
		},
		{
			rule: "a repeated word is not matched twice", query: "hunter hunter",
			items: []anime.Anime{
				{ID: 48960, Title: "Hunter", Type: "Movie", Members: 500},
				{ID: 11061, Title: "Hunter x Hunter (2011)", English: "Hunter x Hunter", Type: "TV", Year: 2011, Members: 2800000},
			},
			want: 11061,
		},
		{
			rule: "Latin words of a Japanese title count little for a Japanese query", query: "進撃の巨人",
			items: []anime.Anime{
				{ID: 16498, Title: "Shingeki no Kyojin", Japanese: "進撃の巨人 attack on titan", Type: "TV", Year: 2013, Members: 3900000},
				{ID: 42091, Title: "Shingeki no Kyojin: Chronicle", Japanese: "進撃の巨人 ~CHRONICLE~", Type: "Movie", Year: 2020, Members: 87000},
				{ID: 25777, Title: "Shingeki no Kyojin Season 2", Japanese: "進撃の巨人2", Type: "TV", Year: 2017, Members: 2700000},
			},
			want: 16498,
		},
		{
			rule: "but they still tell entries apart", query: "鋼の錬金術師",
			items: []anime.Anime{
				{ID: 121, Title: "Fullmetal Alchemist", Japanese: "鋼の錬金術師", Type: "TV", Year: 2003, Members: 1500000},
				{ID: 5114, Title: "Fullmetal Alchemist: Brotherhood", Japanese: "鋼の錬金術師 FULLMETAL ALCHEMIST", Type: "TV", Year: 2009, Members: 3300000},
			},
			want: 121,
		},
		{
			rule: "the English title's own part is a name", query: "food wars",
			items: []anime.Anime{
				{ID: 28171, Title: "Shokugeki no Souma", English: "Food Wars! Shokugeki no Soma", Type: "TV", Year: 2015, Members: 1600000},
				{ID: 31327, Title: "Shokugeki no Souma OVA", Synonyms: []string{"Food Wars! OVAs"}, Type: "OVA", Year: 2017, Members: 120000},
			},
			want: 28171,
		},
		{
			rule: "a subtitle is abbreviated", query: "bleach tybw",
			items: []anime.Anime{
				{ID: 269, Title: "Bleach", Type: "TV", Year: 2004, Members: 1950000},
				{ID: 41467, Title: "Bleach: Sennen Kessen-hen", English: "Bleach: Thousand-Year Blood War", Type: "TV", Year: 2022, Members: 530000},
			},
			want: 41467,
		},
		{
			rule: "initials are spelled out despite a listed variant", query: "aot final season",
			items: []anime.Anime{
				{ID: 16498, Title: "Shingeki no Kyojin", English: "Attack on Titan", Synonyms: []string{"AoT", "AoT TV"}, Type: "TV", Year: 2013, Members: 3900000},
				{ID: 40028, Title: "Shingeki no Kyojin: The Final Season", English: "Attack on Titan: Final Season", Type: "TV", Year: 2020, Members: 2000000},
				{ID: 49469, Title: "Beastars Final Season", Type: "ONA", Year: 2024, Members: 2000},
			},
			want: 40028,
		},
		{
			rule: "a listed abbreviation is spelled out", query: "jjk s2",
			items: []anime.Anime{
				{ID: 40748, Title: "Jujutsu Kaisen", Synonyms: []string{"JJK"}, Type: "TV", Year: 2020, Members: 2500000},
				{ID: 51009, Title: "Jujutsu Kaisen 2nd Season", Type: "TV", Year: 2023, Members: 900000},
			},
			want: 51009,
		},
		{
			rule: "a query word may name the type", query: "konosuba movie",
			items: []anime.Anime{
				{ID: 30831, Title: "Kono Subarashii Sekai ni Shukufuku wo!", Synonyms: []string{"konosuba"}, Type: "TV", Year: 2016, Members: 1950000},
				{ID: 38040, Title: "Kono Subarashii Sekai ni Shukufuku wo! Movie: Kurenai Densetsu",
					English: "KONOSUBA -God's blessing on this wonderful world!- Legend of Crimson", Type: "Movie", Year: 2019, Members: 770000},
			},
			want: 38040,
		},
		{
			rule: "a title that has the type word beats the type", query: "robot girls z specials",
			items: []anime.Anime{
				{ID: 19799, Title: "Robot Girls Z", Type: "Special", Year: 2014, Members: 21000},
				{ID: 24763, Title: "Robot Girls Z Specials", Type: "Special", Year: 2014, Members: 3300},
			},
			want: 24763,
		},
		{
			rule: "a long exact title is not cut short", query: "Ano Hi Mita Hana no Namae wo Bokutachi wa Mada Shiranai.: Menma e no Tegami",
			items: []anime.Anime{
				{ID: 9989, Title: "Ano Hi Mita Hana no Namae wo Bokutachi wa Mada Shiranai.", Type: "TV", Year: 2011, Members: 1600000},
				{ID: 38963, Title: "Ano Hi Mita Hana no Namae wo Bokutachi wa Mada Shiranai.: Menma e no Tegami", Type: "Special", Year: 2012, Members: 25000},
			},
			want: 38963,
		},
	} {
		x := New()
		x.Replace(c.items)
		if rs := x.Search(c.query, Filter{}, 5); len(rs) == 0 || rs[0].Anime.ID != c.want {
			t.Errorf("%s: Search(%q) = %v, want %d first", c.rule, c.query, ids(rs), c.want)
		}
	}
}

func TestDerivedDocs(t *testing.T) {
	items := []anime.Anime{
		{ID: 1, Title: "Shokugeki no Souma", Members: 1600000},
		{ID: 2, Title: "Shokugeki no Souma OVA", Members: 120000},
		{ID: 3, Title: "Ginga", Members: 300},
		{ID: 4, Title: "Ginga Eiyuu Densetsu", Members: 320000},
		{ID: 5, Title: "Mirai Nikki", Type: "OVA", Members: 240000},
		{ID: 6, Title: "Mirai Nikki (TV)", Type: "TV", Members: 2000000},
		{ID: 7, Title: "Naruto", Members: 2800000},
		{ID: 8, Title: "Naruto: Shippuuden", Members: 2400000},
		{ID: 9, English: "No main title", Members: 10},
	}
	want := []bool{false, true, false, false, false, false, false, true, false}
	if got := derivedDocs(items, draftAll(items)); !slices.Equal(got, want) {
		t.Errorf("derivedDocs = %v, want %v", got, want)
	}
}

func TestSubtitleInitials(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"Bleach: Thousand-Year Blood War", "bleach tybw"},
		{"Bleach: Thousand-Year Blood War - The Separation", "bleach tybw the separation"},
		{"Fate/stay night: Unlimited Blade Works 2nd Season", "fate stay night ubw 2"},
		{"Naruto: Shippuuden", ""},        // one-word subtitle
		{"Steins;Gate", ""},               // no subtitle
		{"Re:Zero kara Hajimeru", ""},     // no space after the colon
		{"進撃の巨人: 完結編 前編", ""},             // not Latin
		{": Thousand-Year Blood War", ""}, // nothing before it
	} {
		got := strings.Join(subtitleInitials(c.title, terms(c.title)), " ")
		if got != c.want {
			t.Errorf("subtitleInitials(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestEnglishOwnPart(t *testing.T) {
	for _, c := range []struct{ english, title, want string }{
		{"Food Wars! Shokugeki no Soma", "Shokugeki no Souma", "food wars"},
		{"Demon Slayer: Kimetsu no Yaiba", "Kimetsu no Yaiba", "demon slayer"},
		{"The Kimetsu no Yaiba", "Kimetsu no Yaiba", ""}, // only a stop word is left
		{"Attack on Titan", "Shingeki no Kyojin", ""},
		{"Kimetsu no Yaiba", "Kimetsu no Yaiba", ""},
		{"Kimetsu no Yaiba", "", ""},
	} {
		got := strings.Join(englishOwnPart(terms(c.english), terms(c.title)), " ")
		if got != Normalize(c.want) {
			t.Errorf("englishOwnPart(%q, %q) = %q, want %q", c.english, c.title, got, c.want)
		}
	}
}

func TestIsAbbreviation(t *testing.T) {
	a := &anime.Anime{Title: "Hunter x Hunter", English: "Hunter x Hunter", Type: "TV", Year: 2011}
	for _, c := range []struct {
		synonym string
		want    bool
	}{
		{"HxH", true},
		{"HxH TV", true},
		{"HxH (2011)", true},
		{"hxh2", true},
		{"HxH GI", false},        // a second word
		{"Hunter", false},        // a word of the title
		{"HunterxHunter", false}, // too long
		{"H", false},
		{"ハンター", false},
		{"2011", false},
	} {
		if got := isAbbreviation(terms(c.synonym), terms(a.Title), terms(a.English), a); got != c.want {
			t.Errorf("isAbbreviation(%q) = %v, want %v", c.synonym, got, c.want)
		}
	}
}

// TestTypedBeatsTypo pins that what the user typed, as a whole word or as
// the start of one, outranks a word it only matches through a typo, however
// popular the typo's anime is: "frie" is Frieren being typed, not "fire".
func TestTypedBeatsTypo(t *testing.T) {
	items := []anime.Anime{
		{ID: 52991, Title: "Sousou no Frieren", English: "Frieren: Beyond Journey's End", Type: "TV", Year: 2023, Members: 1000000},
		{ID: 38671, Title: "Enen no Shouboutai", English: "Fire Force", Type: "TV", Year: 2019, Members: 2000000},
		{ID: 28907, Title: "Gate: Jieitai Kanochi nite, Kaku Tatakaeri", English: "Gate", Type: "TV", Year: 2015, Members: 800000},
		{ID: 10087, Title: "Fate/Zero", Type: "TV", Year: 2011, Members: 3000000},
	}
	x := New()
	x.Replace(items)
	for _, c := range []struct {
		query string
		want  int
	}{
		{"frie", 52991},
		{"frier", 52991},
		{"sousou no frie", 52991},
		{"fire", 38671},
		{"gate", 28907},
		{"fate", 10087},
	} {
		if rs := x.Autocomplete(c.query, Filter{}, 5); len(rs) == 0 || rs[0].Anime.ID != c.want {
			t.Errorf("Autocomplete(%q) = %v, want %d first", c.query, ids(rs), c.want)
		}
		if rs := x.Search(c.query, Filter{}, 5); len(rs) == 0 || rs[0].Anime.ID != c.want {
			t.Errorf("Search(%q) = %v, want %d first", c.query, ids(rs), c.want)
		}
	}
}
