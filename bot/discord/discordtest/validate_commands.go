package discordtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Application command limits from Discord's reference.
const (
	maxCommandsPerType = 100
	maxOptions         = 25
	maxDescription     = 100
	maxCommandChars    = 8000
	optionSubCommand   = 1
	optionGroup        = 2
	optionString       = 3
	commandChatInput   = 1
)

// commandName is Discord's name pattern for chat input commands and
// options.
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

type commandDecl struct {
	Name        string       `json:"name"`
	Type        int          `json:"type"`
	Description string       `json:"description"`
	Options     []optionDecl `json:"options"`
}

type optionDecl struct {
	Type         int          `json:"type"`
	Name         string       `json:"name"`
	Description  string       `json:"description"`
	Required     bool         `json:"required"`
	Autocomplete bool         `json:"autocomplete"`
	Choices      []choiceDecl `json:"choices"`
	Options      []optionDecl `json:"options"`
}

type choiceDecl struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// checkCommands lists what Discord would reject in a bulk overwrite.
func checkCommands(body []byte) []fieldError {
	var cmds []commandDecl
	if err := json.Unmarshal(body, &cmds); err != nil {
		return []fieldError{{code: "MODEL_TYPE_CONVERT", message: err.Error()}}
	}
	var errs []fieldError
	perType := map[int]int{}
	names := map[string]bool{}
	for i, c := range cmds {
		if c.Type == 0 {
			c.Type = commandChatInput
		}
		at := []string{strconv.Itoa(i)}
		perType[c.Type]++
		key := strconv.Itoa(c.Type) + "/" + c.Name
		if names[key] {
			errs = append(errs, fieldError{code: "APPLICATION_COMMANDS_DUPLICATE_NAME", message: "Application command names must be unique"}.at(at, "name"))
		}
		names[key] = true
		errs = append(errs, checkCommand(c, at)...)
	}
	for typ, n := range perType {
		if n > maxCommandsPerType {
			errs = append(errs, fieldError{code: "APPLICATION_COMMANDS_LIMIT", message: fmt.Sprintf("More than %d commands of type %d", maxCommandsPerType, typ)})
		}
	}
	return errs
}

func checkCommand(c commandDecl, at []string) []fieldError {
	var errs []fieldError
	if c.Type != commandChatInput {
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 32 {
			errs = append(errs, tooLong(32).at(at, "name"))
		}
		if c.Description != "" || len(c.Options) > 0 {
			errs = append(errs, fieldError{code: "APPLICATION_COMMAND_INVALID", message: "User and message commands take no description or options"}.at(at))
		}
		return errs
	}
	errs = append(errs, checkName(c.Name, at)...)
	errs = append(errs, checkDescription(c.Description, at)...)
	errs = append(errs, checkOptions(c.Options, 0, append(at, "options"))...)
	if n := commandChars(c.Name, c.Description, c.Options); n > maxCommandChars {
		errs = append(errs, fieldError{code: "APPLICATION_COMMAND_TOO_LARGE", message: fmt.Sprintf("Command is %d characters, over %d", n, maxCommandChars)}.at(at))
	}
	return errs
}

func checkName(name string, at []string) []fieldError {
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		return []fieldError{fieldError{code: "APPLICATION_COMMAND_INVALID_NAME", message: fmt.Sprintf("Invalid name %q: 1-32 lowercase letters, digits, - _ '", name)}.at(at, "name")}
	}
	return nil
}

func checkDescription(d string, at []string) []fieldError {
	if n := utf8.RuneCountInString(d); n < 1 || n > maxDescription {
		return []fieldError{tooLong(maxDescription).at(at, "description")}
	}
	return nil
}

// checkOptions checks one level of options. depth is 0 under the command,
// 1 under a group or sub-command, 2 under a sub-command in a group.
func checkOptions(opts []optionDecl, depth int, at []string) []fieldError {
	var errs []fieldError
	if len(opts) > maxOptions {
		errs = append(errs, tooLong(maxOptions).at(at))
	}
	subs, optional := 0, false
	for i, o := range opts {
		oat := append(append([]string(nil), at...), strconv.Itoa(i))
		errs = append(errs, checkName(o.Name, oat)...)
		errs = append(errs, checkDescription(o.Description, oat)...)
		isSub := o.Type == optionSubCommand || o.Type == optionGroup
		if isSub {
			subs++
			errs = append(errs, checkNesting(o, depth, oat)...)
			continue
		}
		if o.Required && optional {
			errs = append(errs, fieldError{code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", message: "Required options must be placed before non-required options"}.at(oat, "required"))
		}
		optional = optional || !o.Required
		errs = append(errs, checkChoices(o, oat)...)
	}
	if subs > 0 && subs != len(opts) {
		errs = append(errs, fieldError{code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "Sub-commands cannot be mixed with other options"}.at(at))
	}
	return errs
}

// checkNesting allows groups only at the top and sub-commands at most
// inside one group.
func checkNesting(o optionDecl, depth int, at []string) []fieldError {
	bad := (o.Type == optionGroup && depth > 0) || (o.Type == optionSubCommand && depth > 1)
	if bad {
		return []fieldError{fieldError{code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "Sub-commands nest at most two levels"}.at(at, "type")}
	}
	if o.Type == optionGroup {
		for _, sub := range o.Options {
			if sub.Type != optionSubCommand {
				return []fieldError{fieldError{code: "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", message: "A group holds only sub-commands"}.at(at, "options")}
			}
		}
	}
	return checkOptions(o.Options, depth+1, append(at, "options"))
}

func checkChoices(o optionDecl, at []string) []fieldError {
	var errs []fieldError
	if o.Autocomplete && len(o.Choices) > 0 {
		errs = append(errs, fieldError{code: "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES", message: "Autocomplete cannot be combined with choices"}.at(at, "autocomplete"))
	}
	if len(o.Choices) > maxChoices {
		errs = append(errs, tooLong(maxChoices).at(at, "choices"))
	}
	for j, c := range o.Choices {
		cat := append(append([]string(nil), at...), "choices", strconv.Itoa(j))
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
			errs = append(errs, tooLong(100).at(cat, "name"))
		}
		if v, ok := c.Value.(string); ok && o.Type == optionString && utf8.RuneCountInString(v) > 100 {
			errs = append(errs, tooLong(100).at(cat, "value"))
		}
	}
	return errs
}

// commandChars counts the characters Discord sums for the 8000 cap: names,
// descriptions, choice names and values, all the way down.
func commandChars(name, desc string, opts []optionDecl) int {
	n := utf8.RuneCountInString(name) + utf8.RuneCountInString(desc)
	for _, o := range opts {
		n += commandChars(o.Name, o.Description, o.Options)
		for _, c := range o.Choices {
			n += utf8.RuneCountInString(c.Name) + utf8.RuneCountInString(fmt.Sprint(c.Value))
		}
	}
	return n
}
