package discordtest

import (
	"strconv"
	"unicode/utf8"
)

// Component types from Discord's reference.
const (
	componentActionRow = 1
	componentButton    = 2
	componentStringSel = 3
	componentTextInput = 4
	buttonStyleLink    = 5
	buttonStylePremium = 6
)

// componentBody is the part of a component that has limits.
type componentBody struct {
	Type       int             `json:"type"`
	CustomID   string          `json:"custom_id"`
	Style      int             `json:"style"`
	Label      string          `json:"label"`
	URL        string          `json:"url"`
	Options    []selectOption  `json:"options"`
	Components []componentBody `json:"components"`
}

type selectOption struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// checkComponents applies the legacy layout rules (at most five action
// rows of five buttons or one select) or, for a Components V2 message,
// the 40 component cap and the ban on content and embeds.
func checkComponents(m messageBody, prefix []string) []fieldError {
	c := componentCheck{prefix: prefix, seen: map[string]bool{}}
	if m.Flags&flagComponentsV2 != 0 {
		c.checkV2(m)
		return c.errs
	}
	if len(m.Components) > maxActionRows {
		c.add(tooLong(maxActionRows), "components")
	}
	for i, row := range m.Components {
		c.checkRow(row, "components", strconv.Itoa(i))
	}
	return c.errs
}

// componentCheck collects errors and the custom ids seen so far, which
// must be unique within a message.
type componentCheck struct {
	prefix []string
	seen   map[string]bool
	errs   []fieldError
	count  int
}

func (c *componentCheck) add(e fieldError, path ...string) {
	c.errs = append(c.errs, e.at(c.prefix, path...))
}

func (c *componentCheck) checkRow(row componentBody, path ...string) {
	if row.Type != componentActionRow {
		c.add(fieldError{code: "UNION_TYPE_CHOICES", message: "Top-level components must be action rows"}, append(path, "type")...)
		return
	}
	selects := 0
	for _, child := range row.Components {
		if child.Type != componentButton {
			selects++
		}
	}
	switch {
	case selects > 0 && len(row.Components) != 1:
		c.add(fieldError{code: "COMPONENT_LAYOUT_WIDTH_EXCEEDED", message: "A select menu must be alone in its row"}, append(path, "components")...)
	case len(row.Components) > maxRowButtons:
		c.add(tooLong(maxRowButtons), append(path, "components")...)
	case len(row.Components) == 0:
		c.add(required(), append(path, "components")...)
	}
	for j, child := range row.Components {
		c.checkLeaf(child, append(path, "components", strconv.Itoa(j))...)
	}
}

// checkLeaf checks a button, select or text input.
func (c *componentCheck) checkLeaf(comp componentBody, path ...string) {
	isLink := comp.Type == componentButton && (comp.Style == buttonStyleLink || comp.Style == buttonStylePremium)
	if !isLink {
		c.checkCustomID(comp.CustomID, path...)
	}
	if comp.Type == componentButton && comp.Style == buttonStyleLink && comp.URL == "" {
		c.add(required(), append(path, "url")...)
	}
	if comp.Type == componentButton && utf8.RuneCountInString(comp.Label) > maxButtonLabel {
		c.add(tooLong(maxButtonLabel), append(path, "label")...)
	}
	if comp.Type == componentStringSel {
		c.checkOptions(comp.Options, path...)
	}
}

func (c *componentCheck) checkCustomID(id string, path ...string) {
	switch {
	case id == "":
		c.add(required(), append(path, "custom_id")...)
	case len(id) > maxCustomID:
		c.add(tooLong(maxCustomID), append(path, "custom_id")...)
	case c.seen[id]:
		c.add(fieldError{code: "COMPONENT_CUSTOM_ID_DUPLICATED", message: "Component custom id cannot be duplicated"}, append(path, "custom_id")...)
	}
	c.seen[id] = true
}

func (c *componentCheck) checkOptions(opts []selectOption, path ...string) {
	if n := len(opts); n < 1 || n > maxSelectOptions {
		c.add(tooLong(maxSelectOptions), append(path, "options")...)
	}
	for k, o := range opts {
		at := append(path, "options", strconv.Itoa(k))
		if n := utf8.RuneCountInString(o.Label); n < 1 || n > 100 {
			c.add(tooLong(100), append(at, "label")...)
		}
		if n := utf8.RuneCountInString(o.Value); n < 1 || n > 100 {
			c.add(tooLong(100), append(at, "value")...)
		}
	}
}

// checkV2 applies the Components V2 rules.
func (c *componentCheck) checkV2(m messageBody) {
	if m.Content != "" {
		c.add(fieldError{code: "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", message: "content cannot be used with IS_COMPONENTS_V2"}, "content")
	}
	if len(m.Embeds) > 0 {
		c.add(fieldError{code: "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", message: "embeds cannot be used with IS_COMPONENTS_V2"}, "embeds")
	}
	c.walkV2(m.Components, "components")
	if c.count > maxComponentsV2 {
		c.add(tooLong(maxComponentsV2), "components")
	}
}

func (c *componentCheck) walkV2(comps []componentBody, path ...string) {
	for i, comp := range comps {
		at := append(append([]string(nil), path...), strconv.Itoa(i))
		c.count++
		if comp.CustomID != "" || comp.Type == componentStringSel || comp.Type == componentTextInput {
			c.checkCustomID(comp.CustomID, at...)
		}
		c.walkV2(comp.Components, append(at, "components")...)
	}
}
