package csvio

import "strings"

// column identifies a field of either layout.
type column uint8

const (
	colNone column = iota // an unknown column, ignored
	colEventID
	colTenant
	colKind
	colAt
	colConversation
	colContact
	colChannel
	colActor
	colAgent
	colSource
	colMedium
	colCampaign
	colScenario
	colProduct
	colAmount
	colCurrency
	colScore
	// the lead layout's own columns
	colLeadID
	colReceivedAt
	colFirstReplyAt
	colHandler
	colTransferAt
	columnCount
)

// columnNames are the header names (and JSON keys), in the order the
// writer emits the event layout.
var columnNames = [columnCount]string{
	colEventID:      "event_id",
	colTenant:       "tenant",
	colKind:         "kind",
	colAt:           "at",
	colConversation: "conversation_id",
	colContact:      "contact_id",
	colChannel:      "channel",
	colActor:        "actor",
	colAgent:        "agent",
	colSource:       "source",
	colMedium:       "medium",
	colCampaign:     "campaign",
	colScenario:     "scenario",
	colProduct:      "product",
	colAmount:       "amount",
	colCurrency:     "currency",
	colScore:        "score",
	colLeadID:       "lead_id",
	colReceivedAt:   "received_at",
	colFirstReplyAt: "first_reply_at",
	colHandler:      "handler",
	colTransferAt:   "transfer_at",
}

// EventColumns returns the header of the event layout, in the order a
// [Writer] writes it.
func EventColumns() []string {
	out := make([]string, 0, colScore)
	for c := colEventID; c <= colScore; c++ {
		out = append(out, columnNames[c])
	}
	return out
}

// LeadColumns returns the header of the one-row-per-lead layout.
func LeadColumns() []string {
	return []string{"lead_id", "channel", "received_at", "first_reply_at", "handler", "transfer_at", "source", "agent"}
}

// lookupColumn maps a header name, compared without case and surrounding
// space, to its column.
func lookupColumn(name string) column {
	name = strings.TrimSpace(name)
	for c := colEventID; c < columnCount; c++ {
		if strings.EqualFold(columnNames[c], name) {
			return c
		}
	}
	return colNone
}

// inLayout reports whether column c belongs to layout l. The lead layout
// also takes the event layout's descriptive columns (tenant, contact_id,
// medium, campaign, scenario, product), copied to every event of the lead.
func inLayout(c column, l Layout) bool {
	switch l {
	case LayoutEvents:
		return c >= colEventID && c <= colScore
	case LayoutLeads:
		switch c {
		case colLeadID, colChannel, colReceivedAt, colFirstReplyAt, colHandler, colTransferAt,
			colSource, colAgent, colTenant, colContact, colMedium, colCampaign, colScenario, colProduct:
			return true
		}
	}
	return false
}
