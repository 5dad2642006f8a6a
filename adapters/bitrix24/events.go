package bitrix24

import (
	"strconv"

	"github.com/onemin/onemin"
)

// StageKinds maps stage IDs (STAGE_ID of deals, STATUS_ID of leads, such
// as "C1:PREPARATION" or "UC_BOOKED") to the event kinds they mean, for
// stages the semantics do not tell: a booking, a confirmation, a visit.
type StageKinds map[string]onemin.Kind

// StageEvent maps one stage-history record to an event, and reports false
// when the record means no event. In order:
//
//   - a stage listed in kinds gives that kind;
//   - a lead's creation (Type 1) gives lead;
//   - a deal entering a success stage (Semantic "S") gives deal_won, a
//     failure stage ("F") deal_lost.
//
// The event is in conversation "lead:ID" or "deal:ID" (the owner), at the
// record's time, with event_id "bitrix24:ENTITY:stage:RECORD".
func StageEvent(s StageChange, kinds StageKinds) (onemin.Event, bool) {
	k, ok := kinds[s.StageID]
	switch {
	case ok:
	case s.Entity == EntityLead && s.Type == 1:
		k = onemin.Lead
	case s.Entity == EntityDeal && s.Semantic == "S":
		k = onemin.DealWon
	case s.Entity == EntityDeal && s.Semantic == "F":
		k = onemin.DealLost
	default:
		return onemin.Event{}, false
	}
	owner := s.Entity.String() + ":" + strconv.FormatInt(s.OwnerID, 10)
	return onemin.Event{
		ID:             "bitrix24:" + s.Entity.String() + ":stage:" + strconv.FormatInt(s.ID, 10),
		Kind:           k,
		At:             s.At,
		ConversationID: owner,
	}, true
}

// Event returns the lead event of a lead: at its creation, in conversation
// "lead:ID", with its contact ("contact:ID"), source and UTM fields, and
// event_id "bitrix24:lead:ID:add" (the same id as the ONCRMLEADADD
// notification's, so the two de-duplicate).
func (l *Lead) Event() onemin.Event {
	id := strconv.FormatInt(l.ID, 10)
	e := onemin.Event{
		ID:             "bitrix24:lead:" + id + ":add",
		Kind:           onemin.Lead,
		At:             l.Created,
		ConversationID: "lead:" + id,
		Source:         l.UTMSource,
		Medium:         l.UTMMedium,
		Campaign:       l.UTMCampaign,
	}
	if e.Source == "" {
		e.Source = l.SourceID
	}
	if l.ContactID > 0 {
		e.ContactID = "contact:" + strconv.FormatInt(l.ContactID, 10)
	}
	if l.AssignedBy > 0 {
		e.Agent = strconv.FormatInt(l.AssignedBy, 10)
	}
	return e
}
