package bot

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func testTable() []*Command {
	echo := func(ctx context.Context, req *Request) (*Response, error) {
		return Reply("echo " + req.Options.String("text")), nil
	}
	return []*Command{
		{Name: "echo", Description: "Echo text", Options: []Option{{Name: "text", Description: "Text", Type: OptionString, Required: true, Autocomplete: true}},
			Run: echo,
			Autocomplete: func(ctx context.Context, req *Request) ([]Choice, error) {
				return []Choice{{Name: "a " + req.Options.String("text"), Value: "a"}}, nil
			}},
		{Name: "admin", Description: "Server settings", Permission: PermissionManageServer, Subcommands: []*Command{
			{Name: "set", Description: "Set it", Run: echo},
		}},
		{Name: "secret", Description: "Owners only", OwnerOnly: true, Run: echo},
		{Name: "boom", Description: "Panics", Run: func(context.Context, *Request) (*Response, error) { panic("kaboom") }},
		{Name: "oops", Description: "Fails", Run: func(context.Context, *Request) (*Response, error) {
			return nil, errors.New("db exploded at /secret/path")
		}},
		{Name: "page", Description: "Pages", Run: echo, Components: map[string]Handler{
			"pg": func(ctx context.Context, req *Request) (*Response, error) {
				return &Response{Update: true, Content: "page " + req.CustomID}, nil
			},
		}},
	}
}

func newTestRouter(t *testing.T) *Router {
	t.Helper()
	r, err := NewRouter(testTable(), RouterOptions{IsOwner: func(id string) bool { return id == "owner" }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRouterEnforcesDeclaredPermissions(t *testing.T) {
	r := newTestRouter(t)
	cases := []struct {
		name string
		req  Request
		want string
	}{
		{"member without Manage Server", Request{Command: "admin set", GuildID: "g", Permissions: PermissionSendMessages}, "You need the **Manage Server** permission"},
		{"member with Manage Server", Request{Command: "admin set", GuildID: "g", Permissions: PermissionManageServer}, "echo "},
		{"administrator", Request{Command: "admin set", GuildID: "g", Permissions: PermissionAdministrator}, "echo "},
		{"in a DM", Request{Command: "admin set"}, "only works in a server"},
		{"not an owner", Request{Command: "secret", UserID: "u"}, "Only the bot's owners"},
		{"owner", Request{Command: "secret", UserID: "owner"}, "echo "},
		{"unknown", Request{Command: "nope"}, "Unknown command /nope"},
	}
	for _, c := range cases {
		c.req.Kind = KindCommand
		resp := r.Handle(context.Background(), &c.req)
		if !strings.Contains(resp.Content, c.want) {
			t.Errorf("%s: content = %q, want %q", c.name, resp.Content, c.want)
		}
	}
}

func TestRouterHidesInternalErrorsAndPanics(t *testing.T) {
	r := newTestRouter(t)
	for _, name := range []string{"boom", "oops"} {
		resp := r.Handle(context.Background(), &Request{Kind: KindCommand, Command: name})
		if !resp.Ephemeral || strings.Contains(resp.Content, "secret") || strings.Contains(resp.Content, "kaboom") || !strings.Contains(resp.Content, "went wrong") {
			t.Errorf("/%s answered %+v", name, resp)
		}
	}
}

func TestRouterAutocompleteAndComponents(t *testing.T) {
	r := newTestRouter(t)
	resp := r.Handle(context.Background(), &Request{Kind: KindAutocomplete, Command: "echo", Focused: "text", Options: Options{"text": {Type: OptionString, String: "x"}}})
	if p := resp.Payload(); p.Type != ResponseAutocompleteChoices || len(p.Data.Choices) != 1 || p.Data.Choices[0].Name != "a x" {
		t.Errorf("autocomplete payload = %+v", p)
	}
	resp = r.Handle(context.Background(), &Request{Kind: KindComponent, CustomID: "pg:2"})
	if p := resp.Payload(); p.Type != ResponseUpdateMessage || p.Data.Content != "page pg:2" {
		t.Errorf("component payload = %+v", p)
	}
	resp = r.Handle(context.Background(), &Request{Kind: KindComponent, CustomID: "gone:1"})
	if !strings.Contains(resp.Content, "no longer supported") {
		t.Errorf("unknown component answered %q", resp.Content)
	}
}

func TestHelpListsTheTable(t *testing.T) {
	r := newTestRouter(t)
	resp := r.Handle(context.Background(), &Request{Kind: KindCommand, Command: "help", UserID: "u"})
	desc := resp.Embeds[0].Description
	for _, want := range []string{"/echo", "`text:`", "/admin set", "needs Manage Server", "/help"} {
		if !strings.Contains(desc, want) {
			t.Errorf("help misses %q:\n%s", want, desc)
		}
	}
	if strings.Contains(desc, "/secret") {
		t.Error("help shows an owner-only command to a non-owner")
	}
	raw, _ := json.Marshal(resp.Payload())
	if !strings.HasPrefix(string(raw), `{"type":4,"data":{"embeds":[`) {
		t.Errorf("payload = %s", raw)
	}
}

func TestRegistrationMatchesTable(t *testing.T) {
	r := newTestRouter(t)
	reg := r.Registration()
	byName := map[string]ApplicationCommand{}
	for _, c := range reg {
		byName[c.Name] = c
	}
	if len(reg) != len(r.Commands()) {
		t.Fatalf("registered %d commands, table has %d", len(reg), len(r.Commands()))
	}
	admin := byName["admin"]
	if admin.DefaultMemberPermissions == nil || *admin.DefaultMemberPermissions != "32" || admin.Options[0].Type != OptionSubcommand {
		t.Errorf("admin registration = %+v", admin)
	}
	if echo := byName["echo"]; !echo.Options[0].Autocomplete || !echo.Options[0].Required {
		t.Errorf("echo registration = %+v", echo)
	}
}

func TestNewRouterRejectsBadTables(t *testing.T) {
	run := func(context.Context, *Request) (*Response, error) { return Reply(""), nil }
	bad := [][]*Command{
		{{Name: "Bad Name", Description: "x", Run: run}},
		{{Name: "x", Description: "", Run: run}},
		{{Name: "x", Description: "x"}},
		{{Name: "x", Description: "x", Run: run}, {Name: "x", Description: "x", Run: run}},
		{{Name: "x", Description: "x", Run: run, Options: []Option{{Name: "o", Description: "o", Autocomplete: true}}}},
	}
	for i, table := range bad {
		if _, err := NewRouter(table, RouterOptions{}); err == nil {
			t.Errorf("table %d accepted", i)
		}
	}
}

type recordingTransport struct {
	responses []InteractionResponse
	edits     []*MessageData
	followups []*MessageData
	deletes   int
}

func (t *recordingTransport) DeleteOriginal(ctx context.Context) error {
	t.deletes++
	return nil
}

func (t *recordingTransport) Respond(ctx context.Context, p InteractionResponse) error {
	t.responses = append(t.responses, p)
	return nil
}

func (t *recordingTransport) EditOriginal(ctx context.Context, d *MessageData) error {
	t.edits = append(t.edits, d)
	return nil
}

func (t *recordingTransport) Followup(ctx context.Context, d *MessageData) error {
	t.followups = append(t.followups, d)
	return nil
}

func TestNoticesFollowTheAnswer(t *testing.T) {
	pending := map[string][]string{"u1": {"I couldn't DM you: your DMs are closed."}}
	r, err := NewRouter(testTable(), RouterOptions{Notices: func(id string) []string {
		n := pending[id]
		delete(pending, id)
		return n
	}})
	if err != nil {
		t.Fatal(err)
	}
	tr := &recordingTransport{}
	req := &Request{Kind: KindCommand, Command: "echo", UserID: "u1", Options: Options{"text": {Type: OptionString, String: "hi"}}}
	if err := r.Serve(context.Background(), req, tr, time.Second); err != nil {
		t.Fatal(err)
	}
	if len(tr.followups) != 1 || tr.followups[0].Flags != FlagEphemeral || !strings.Contains(tr.followups[0].Content, "DMs are closed") {
		t.Fatalf("followups = %+v", tr.followups)
	}
	tr = &recordingTransport{}
	r.Serve(context.Background(), req, tr, time.Second)
	if len(tr.followups) != 0 {
		t.Errorf("notice shown twice: %+v", tr.followups)
	}
}

func TestServeDefersSlowHandlers(t *testing.T) {
	slow := &Command{Name: "slow", Description: "Slow", Ephemeral: true, Run: func(ctx context.Context, req *Request) (*Response, error) {
		time.Sleep(50 * time.Millisecond)
		return Reply("done"), nil
	}}
	r, err := NewRouter([]*Command{slow}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tr := &recordingTransport{}
	if err := r.Serve(context.Background(), &Request{Kind: KindCommand, Command: "slow"}, tr, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if len(tr.responses) != 1 || tr.responses[0].Type != ResponseDeferredMessage || tr.responses[0].Data.Flags != FlagEphemeral {
		t.Fatalf("responses = %+v", tr.responses)
	}
	if len(tr.edits) != 1 || tr.edits[0].Content != "done" {
		t.Fatalf("edits = %+v", tr.edits)
	}
	fast := &recordingTransport{}
	if err := r.Serve(context.Background(), &Request{Kind: KindCommand, Command: "slow"}, fast, time.Second); err != nil {
		t.Fatal(err)
	}
	if len(fast.responses) != 1 || fast.responses[0].Type != ResponseMessage || len(fast.edits) != 0 {
		t.Fatalf("fast path responses = %+v edits = %+v", fast.responses, fast.edits)
	}
}

func TestSlowAnswersThatCannotReplaceTheDeferralAreFollowups(t *testing.T) {
	slow := func(resp *Response) Handler {
		return func(ctx context.Context, req *Request) (*Response, error) {
			time.Sleep(20 * time.Millisecond)
			return resp, nil
		}
	}
	r, err := NewRouter([]*Command{
		{Name: "public", Description: "Public", Run: slow(Private("only you"))},
		{Name: "pick", Description: "Pick", Run: slow(Reply("x")), Components: map[string]Handler{
			"card": slow(Reply("a new card")),
			"page": slow(&Response{Update: true, Content: "page 2"}),
		}},
	}, RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		req                    Request
		edits, followups, dels int
	}{
		{Request{Kind: KindCommand, Command: "public"}, 0, 1, 1},
		{Request{Kind: KindComponent, CustomID: "card:1"}, 0, 1, 0},
		{Request{Kind: KindComponent, CustomID: "page:2"}, 1, 0, 0},
	}
	for _, c := range cases {
		tr := &recordingTransport{}
		// A cancelled context (a shutdown) must not stop the answer.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := r.Serve(ctx, &c.req, tr, time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if len(tr.edits) != c.edits || len(tr.followups) != c.followups || tr.deletes != c.dels {
			t.Errorf("%s%s: %d edits, %d followups, %d deletes; want %d, %d, %d", c.req.Command, c.req.CustomID,
				len(tr.edits), len(tr.followups), tr.deletes, c.edits, c.followups, c.dels)
		}
	}
}
