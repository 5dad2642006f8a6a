package roi

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

// FromEvents reads the activity of the bot from events (which should have
// passed [onemin.Prepare]) into the Revenue, BotClosed and count fields of
// Inputs; the caller adds the costs, HumanContactCost and Months.
//
// A contact started with the bot when the first reply in their first
// conversation was the bot's (a message_out by a bot; automations do not
// count as a reply). Over those contacts:
//
//   - Revenue: each contact's first payment is Direct; a later payment is
//     Upsell when its product was not bought before, else Repeat; refunds
//     are subtracted;
//   - Customers: contacts with a payment; Orders: their payments;
//     Conversions: their won deals; Leads: their conversations with a lead.
//
// BotClosed counts every conversation (whoever started it) that was closed
// without a handoff and without a human reply.
//
// Amounts in several currencies are converted with rates; with nil rates
// a mix is [ErrCurrencyMix].
func FromEvents(events []onemin.Event, rates *Rates) (Inputs, error) {
	var in Inputs
	firstReply := map[onemin.ConversationKey]onemin.Actor{}
	for _, c := range onemin.Conversations(events) {
		closed, human := false, false
		for i := range c.Events {
			e := &c.Events[i]
			switch {
			case e.Kind == onemin.Closed:
				closed = true
			case e.Kind == onemin.Handoff, e.Kind == onemin.MessageOut && e.Actor == onemin.Human:
				human = true
			}
			if e.Kind == onemin.MessageOut && (e.Actor == onemin.Bot || e.Actor == onemin.Human) {
				if _, ok := firstReply[c.Key]; !ok {
					firstReply[c.Key] = e.Actor
				}
			}
		}
		if closed && !human {
			in.BotClosed++
		}
	}
	add := func(to *Money, e *onemin.Event) error {
		sum, err := Sum(rates, *to, New(e.Amount, e.Currency))
		if err != nil {
			return fmt.Errorf("roi: event %q: %w", e.ID, err)
		}
		*to = sum
		return nil
	}
	for _, c := range onemin.Contacts(events) {
		first := ""
		for i := range c.Events {
			if id := c.Events[i].ConversationID; id != "" {
				first = id
				break
			}
		}
		if first == "" || firstReply[onemin.ConversationKey{Tenant: c.Key.Tenant, ID: first}] != onemin.Bot {
			continue
		}
		bought := map[string]bool{}
		leads := map[string]bool{}
		paid := false
		for i := range c.Events {
			e := &c.Events[i]
			var err error
			switch e.Kind {
			case onemin.Lead:
				leads[e.ConversationID] = true
			case onemin.DealWon:
				in.Conversions++
			case onemin.Refund:
				err = add(&in.Revenue.Refunds, e)
			case onemin.Payment:
				in.Orders++
				switch {
				case !paid:
					err = add(&in.Revenue.Direct, e)
				case e.Product != "" && !bought[e.Product]:
					err = add(&in.Revenue.Upsell, e)
				default:
					err = add(&in.Revenue.Repeat, e)
				}
				paid = true
				bought[e.Product] = true
			}
			if err != nil {
				return Inputs{}, err
			}
		}
		in.Leads += int64(len(leads))
		if paid {
			in.Customers++
		}
	}
	cur := ""
	for _, m := range []Money{in.Revenue.Direct, in.Revenue.Upsell, in.Revenue.Repeat, in.Revenue.Refunds} {
		if cur == "" {
			cur = m.Currency
		}
	}
	for _, m := range []*Money{&in.Revenue.Direct, &in.Revenue.Upsell, &in.Revenue.Repeat, &in.Revenue.Refunds} {
		if m.Currency == "" {
			*m = Money{decimal.Zero, cur}
		}
	}
	return in, nil
}
