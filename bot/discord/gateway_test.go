package discord

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"dubbot/bot"
	"dubbot/bot/discord/discordtest"
)

// Ten slow commands at once must not queue behind each other: discordgo's
// own edit call shares one bot-wide bucket (its issue #1384), which would
// make the tenth edit wait for the other nine.
func TestConcurrentDeferredCommandsDoNotSerialise(t *testing.T) {
	const n, editLatency = 10, 500 * time.Millisecond
	fake := discordtest.New()
	defer fake.Close()
	fake.SetLatency("PATCH /webhooks/{app}/{token}/messages/@original", editLatency)

	slow := &bot.Command{Name: "slow", Description: "Takes a while", Run: func(ctx context.Context, req *bot.Request) (*bot.Response, error) {
		time.Sleep(50 * time.Millisecond)
		return bot.Reply("done"), nil
	}}
	router, err := bot.NewRouter([]*bot.Command{slow}, bot.RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	rest := NewREST(fake.APIURL(), fake.BotToken, nil, log)
	gw, err := NewGateway(GatewayConfig{Token: fake.BotToken, APIURL: fake.APIURL(), AppID: fake.AppID,
		Router: router, REST: rest, Logger: log, DeferAfter: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer gw.Close()

	tokens := make([]string, n)
	for i := range tokens {
		payload := fake.SlashCommand(discordtest.Command{Name: "slow"})
		_, tokens[i] = discordtest.InteractionIDs(payload)
		if err := fake.DispatchInteraction(payload); err != nil {
			t.Fatal(err)
		}
	}
	var first, last time.Time
	for _, tok := range tokens {
		edit, err := fake.WaitEdit(tok, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if first.IsZero() || edit.At.Before(first) {
			first = edit.At
		}
		if edit.At.After(last) {
			last = edit.At
		}
	}
	// Serialised, the edits would arrive editLatency apart (a 4.5 s
	// spread); concurrent, they arrive together. The margin is for a loaded
	// machine.
	spread := last.Sub(first)
	if spread > 3*editLatency {
		t.Errorf("the %d deferred edits finished %v apart; they were sent one at a time", n, spread)
	}
	t.Logf("%d deferred edits with %v latency each arrived within %v", n, editLatency, spread)
	for _, cb := range fake.Callbacks() {
		if cb.Type != 5 {
			t.Errorf("callback type %d, want 5 (deferred)", cb.Type)
		}
	}
}

func TestDMChannelIsOpenedOnce(t *testing.T) {
	fake := discordtest.New()
	defer fake.Close()
	rest := NewREST(fake.APIURL(), fake.BotToken, nil, slog.New(slog.DiscardHandler))
	for i := 0; i < 3; i++ {
		if err := rest.SendDM(context.Background(), "42", Message{Content: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.RequestCount("POST", "/users/@me/channels"); n != 1 {
		t.Errorf("opened the DM channel %d times, want 1", n)
	}
}
