// Package discordtest is a fake Discord for tests: one loopback server that
// speaks the REST API under any /api/v{N}/ prefix and the gateway websocket
// at /gw, records every call, and can script failures, rate limits and
// latency.
//
// A test starts it with New, points the bot's REST client at APIURL through
// RewriteTransport, and lets discordgo find the gateway through GET /gateway.
// It then injects interactions with DispatchInteraction (payloads built by
// SlashCommand, Autocomplete and Component) and asserts on what the bot sent
// with Callbacks, Edits, Followups, Messages and the Wait helpers.
//
// The fake checks what Discord checks where a bot can get it wrong: the bot
// token, the 3 second interaction deadline, a second acknowledgement (40060),
// message and embed limits and command declarations (50035), empty messages
// (50006), and DM refusals (50007). Channels need no set-up to receive
// messages; GET endpoints answer only from the state a test configures.
package discordtest
