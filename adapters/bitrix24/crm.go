package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin/internal/crm"
	"github.com/shopspring/decimal"
)

// ListQuery narrows a list method. The zero ListQuery lists everything in
// ID order.
type ListQuery struct {
	// Filter holds filter conditions in Bitrix24's form: the key is the
	// field with an optional operator prefix (">=DATE_MODIFY", "STAGE_ID",
	// "!CLOSED"), the value its operand.
	Filter map[string]string
	// Select lists the fields to return; empty means Bitrix24's default
	// set ("*"). Add "UF_*" for the custom fields.
	Select []string
	// Order maps fields to "ASC" or "DESC"; empty means ID ascending,
	// which keeps pages stable while records are added.
	Order map[string]string
}

func (q *ListQuery) params() url.Values {
	p := url.Values{}
	for k, v := range q.Filter {
		p.Set("filter["+k+"]", v)
	}
	for _, f := range q.Select {
		p.Add("select[]", f)
	}
	if len(q.Order) == 0 {
		p.Set("order[ID]", "ASC")
	}
	for k, v := range q.Order {
		p.Set("order["+k+"]", v)
	}
	return p
}

// Deal is a CRM deal as crm.deal.list returns it. Times are as the portal
// gives them (with its offset); a zero time means the field was empty.
type Deal struct {
	// ID is the deal's ID; always positive.
	ID int64
	// Title is the deal's name.
	Title string
	// StageID is the stage, such as "NEW", "WON", "C1:PREPAYMENT_INVOICE".
	StageID string
	// CategoryID is the pipeline; 0 is the main one.
	CategoryID int64
	// StageSemantic is "P" (in progress), "S" (won) or "F" (lost).
	StageSemantic string
	// ContactID is the deal's contact; 0: none.
	ContactID int64
	// LeadID is the lead the deal came from; 0: none.
	LeadID int64
	// Amount is OPPORTUNITY in Currency (an ISO 4217 code); it never
	// passes through float64. Zero when empty.
	Amount   decimal.Decimal
	Currency string
	// SourceID is the CRM source ("CALL", "WEB", …); UTMSource,
	// UTMMedium and UTMCampaign the UTM fields; empty when not set.
	SourceID    string
	UTMSource   string
	UTMMedium   string
	UTMCampaign string
	// AssignedBy is the responsible user's ID.
	AssignedBy int64
	// Created and Modified are DATE_CREATE and DATE_MODIFY.
	Created  time.Time
	Modified time.Time
	// Closed is CLOSED = "Y".
	Closed bool
	// Fields holds every field of the answer as Bitrix24 sent it, custom
	// UF_CRM_* fields included.
	Fields map[string]json.RawMessage
}

// Lead is a CRM lead as crm.lead.list returns it.
type Lead struct {
	// ID is the lead's ID; always positive.
	ID int64
	// Title is the lead's name.
	Title string
	// StatusID is the status, such as "NEW", "IN_PROCESS", "CONVERTED",
	// "JUNK".
	StatusID string
	// StatusSemantic is "P" (in progress), "S" (converted) or "F" (junk).
	StatusSemantic string
	// ContactID is the lead's contact; 0: none.
	ContactID int64
	// Amount is OPPORTUNITY in Currency; zero when empty.
	Amount   decimal.Decimal
	Currency string
	// SourceID is the CRM source; UTMSource, UTMMedium and UTMCampaign
	// the UTM fields; empty when not set.
	SourceID    string
	UTMSource   string
	UTMMedium   string
	UTMCampaign string
	// AssignedBy is the responsible user's ID.
	AssignedBy int64
	// Created and Modified are DATE_CREATE and DATE_MODIFY.
	Created  time.Time
	Modified time.Time
	// Fields holds every field of the answer as Bitrix24 sent it.
	Fields map[string]json.RawMessage
}

func decodeDeal(r record) (Deal, error) {
	f := fieldReader{r: r}
	d := Deal{
		ID: f.int("ID"), Title: f.str("TITLE"), StageID: f.str("STAGE_ID"),
		CategoryID: f.int("CATEGORY_ID"), StageSemantic: f.str("STAGE_SEMANTIC_ID"),
		ContactID: f.int("CONTACT_ID"), LeadID: f.int("LEAD_ID"),
		Amount: f.decimal("OPPORTUNITY"), Currency: f.str("CURRENCY_ID"),
		SourceID: f.str("SOURCE_ID"), UTMSource: f.str("UTM_SOURCE"),
		UTMMedium: f.str("UTM_MEDIUM"), UTMCampaign: f.str("UTM_CAMPAIGN"),
		AssignedBy: f.int("ASSIGNED_BY_ID"), Created: f.time("DATE_CREATE"),
		Modified: f.time("DATE_MODIFY"), Closed: f.str("CLOSED") == "Y",
		Fields: r,
	}
	if f.err == nil && d.ID <= 0 {
		f.err = fmt.Errorf("field ID: missing or not positive")
	}
	return d, f.err
}

func decodeLead(r record) (Lead, error) {
	f := fieldReader{r: r}
	l := Lead{
		ID: f.int("ID"), Title: f.str("TITLE"), StatusID: f.str("STATUS_ID"),
		StatusSemantic: f.str("STATUS_SEMANTIC_ID"), ContactID: f.int("CONTACT_ID"),
		Amount: f.decimal("OPPORTUNITY"), Currency: f.str("CURRENCY_ID"),
		SourceID: f.str("SOURCE_ID"), UTMSource: f.str("UTM_SOURCE"),
		UTMMedium: f.str("UTM_MEDIUM"), UTMCampaign: f.str("UTM_CAMPAIGN"),
		AssignedBy: f.int("ASSIGNED_BY_ID"), Created: f.time("DATE_CREATE"),
		Modified: f.time("DATE_MODIFY"), Fields: r,
	}
	if f.err == nil && l.ID <= 0 {
		f.err = fmt.Errorf("field ID: missing or not positive")
	}
	return l, f.err
}

// Deals returns an iterator over every deal that q selects, page by page
// (crm.deal.list, 50 a page). Iteration stops at the first error, which is
// yielded with a zero Deal; a malformed record is such an error.
func (c *Client) Deals(ctx context.Context, q ListQuery) iter.Seq2[Deal, error] {
	return listOf(c, ctx, "crm.deal.list", q.params(), resultArray, decodeDeal)
}

// Leads returns an iterator over every lead that q selects (crm.lead.list,
// 50 a page), like [Client.Deals].
func (c *Client) Leads(ctx context.Context, q ListQuery) iter.Seq2[Lead, error] {
	return listOf(c, ctx, "crm.lead.list", q.params(), resultArray, decodeLead)
}

// resultArray reads a list answer whose result is the array of records.
func resultArray(raw json.RawMessage) ([]record, error) {
	var rs []record
	err := json.Unmarshal(raw, &rs)
	return rs, err
}

// resultItems reads a list answer whose result is {"items": [...]}.
func resultItems(raw json.RawMessage) ([]record, error) {
	var v struct {
		Items []record `json:"items"`
	}
	err := json.Unmarshal(raw, &v)
	return v.Items, err
}

// listOf iterates the records of a paged method, cut from each page's
// result by records and decoded by decode.
func listOf[T any](c *Client, ctx context.Context, method string, params url.Values, records func(json.RawMessage) ([]record, error), decode func(record) (T, error)) iter.Seq2[T, error] {
	walk := func(page func(json.RawMessage) error) error { return c.list(ctx, method, params, page) }
	return crm.Records("bitrix24: "+method, walk, "decoding result", records, decode)
}

// EntityType is a CRM entity type as crm.stagehistory.list names it.
type EntityType int

// The entity types with a stage history.
const (
	EntityLead    EntityType = 1
	EntityDeal    EntityType = 2
	EntityInvoice EntityType = 5
)

// String returns "lead", "deal", "invoice" or "EntityType(N)".
func (t EntityType) String() string {
	switch t {
	case EntityLead:
		return "lead"
	case EntityDeal:
		return "deal"
	case EntityInvoice:
		return "invoice"
	}
	return "EntityType(" + strconv.Itoa(int(t)) + ")"
}

// StageChange is one record of a lead's or deal's stage history.
type StageChange struct {
	// ID is the history record's ID.
	ID int64
	// Entity is the type of the entity that moved.
	Entity EntityType
	// Type is TYPE_ID: 1 the entity was created, 2 moved to an
	// intermediate stage, 3 moved to a final stage.
	Type int
	// OwnerID is the ID of the lead or deal.
	OwnerID int64
	// At is CREATED_TIME: when the entity entered the stage.
	At time.Time
	// CategoryID is the deal's pipeline (0 for leads and the main one).
	CategoryID int64
	// StageID is STAGE_ID for deals, STATUS_ID for leads and invoices.
	StageID string
	// Semantic is "P" (in progress), "S" (success) or "F" (failure).
	Semantic string
}

// StageHistory returns an iterator over the stage history of leads, deals
// or invoices (crm.stagehistory.list). Filter and Order of q apply; Order
// defaults to ID ascending.
func (c *Client) StageHistory(ctx context.Context, entity EntityType, q ListQuery) iter.Seq2[StageChange, error] {
	p := q.params()
	p.Set("entityTypeId", strconv.Itoa(int(entity)))
	return listOf(c, ctx, "crm.stagehistory.list", p, resultItems, func(r record) (StageChange, error) {
		return decodeStageChange(entity, r)
	})
}

func decodeStageChange(entity EntityType, r record) (StageChange, error) {
	f := fieldReader{r: r}
	s := StageChange{
		ID: f.int("ID"), Entity: entity, Type: int(f.int("TYPE_ID")),
		OwnerID: f.int("OWNER_ID"), At: f.time("CREATED_TIME"),
		CategoryID: f.int("CATEGORY_ID"),
	}
	if entity == EntityDeal {
		s.StageID, s.Semantic = f.str("STAGE_ID"), f.str("STAGE_SEMANTIC_ID")
	} else {
		s.StageID, s.Semantic = f.str("STATUS_ID"), f.str("STATUS_SEMANTIC_ID")
	}
	switch {
	case f.err != nil:
	case s.OwnerID <= 0:
		f.err = fmt.Errorf("field OWNER_ID: missing or not positive")
	case s.At.IsZero():
		f.err = fmt.Errorf("field CREATED_TIME: missing")
	}
	return s, f.err
}

// userField is the form of a deal's custom field name.
var userField = regexp.MustCompile(`^UF_CRM_[A-Z0-9_]+$`)

// SetDealField writes value into one field of a deal (crm.deal.update with
// fields[FIELD]=value). Field must be a custom field, "UF_CRM_…".
func (c *Client) SetDealField(ctx context.Context, dealID int64, field, value string) error {
	if dealID <= 0 {
		return fmt.Errorf("bitrix24: deal ID %d is not positive", dealID)
	}
	if !userField.MatchString(field) {
		return fmt.Errorf("bitrix24: %q is not a custom deal field (UF_CRM_…)", field)
	}
	p := url.Values{}
	p.Set("id", strconv.FormatInt(dealID, 10))
	p.Set("fields["+field+"]", value)
	var ok bool
	if err := c.Call(ctx, "crm.deal.update", p, &ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("bitrix24: crm.deal.update: deal %d was not updated", dealID)
	}
	return nil
}

// SetFirstReply writes a first-reply time into the custom deal field
// field ("UF_CRM_FIRST_REPLY" or the like) as whole seconds, rounded down:
// 59.9 s is written "59", so a 60 s SLA read from the field agrees with
// the exact one. A negative duration is an error.
func (c *Client) SetFirstReply(ctx context.Context, dealID int64, field string, firstReply time.Duration) error {
	if firstReply < 0 {
		return fmt.Errorf("bitrix24: first-reply time %v is negative", firstReply)
	}
	return c.SetDealField(ctx, dealID, field, strconv.FormatInt(int64(firstReply/time.Second), 10))
}

// methodOK guards method names given by callers.
func methodOK(method string) error {
	if !isMethodName(method) || !strings.Contains(method, ".") {
		return fmt.Errorf("bitrix24: %q is not a REST method name", method)
	}
	return nil
}
