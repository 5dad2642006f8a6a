package funnel

import (
	"cmp"
	"slices"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/quantile"
)

// Containment is the bot's share of closed dialogs it handled alone.
type Containment struct {
	// Closed counts conversations with a closed event.
	Closed int `json:"closed"`
	// Contained counts the closed conversations with no handoff and no
	// message_out by a human.
	Contained int `json:"contained"`
	// Rate is Contained ÷ Closed, a ratio 0–1; undefined (null) when
	// nothing was closed.
	Rate onemin.Ratio `json:"rate"`
}

// BotContainment counts the closed conversations that no human touched.
// filter, when not nil, keeps only the events for which it reports true
// (for example [OnlyScenarios] of Support, to measure a support bot).
func BotContainment(events []onemin.Event, filter func(*onemin.Event) bool) Containment {
	type state struct{ closed, human bool }
	m := map[onemin.ConversationKey]*state{}
	for i := range events {
		e := &events[i]
		if e.ConversationID == "" || (filter != nil && !filter(e)) {
			continue
		}
		k := onemin.ConversationKey{Tenant: e.Tenant, ID: e.ConversationID}
		s := m[k]
		if s == nil {
			s = &state{}
			m[k] = s
		}
		switch {
		case e.Kind == onemin.Closed:
			s.closed = true
		case e.Kind == onemin.Handoff, e.Kind == onemin.MessageOut && e.Actor == onemin.Human:
			s.human = true
		}
	}
	var c Containment
	for _, s := range m {
		if s.closed {
			c.Closed++
			if !s.human {
				c.Contained++
			}
		}
	}
	c.Rate = onemin.Ratio{Num: c.Contained, Den: c.Closed}
	return c
}

// ScoreRow is the satisfaction of one group: CSAT and NPS side by side.
type ScoreRow struct {
	// Key is the group's value, or [NoValue].
	Key string `json:"key"`
	// CSATResponses counts csat scores (1–5).
	CSATResponses int `json:"csat_responses"`
	// CSATAverage is the mean csat score (1–5); nil (null) without
	// responses.
	CSATAverage *float64 `json:"csat_average"`
	// CSATSatisfied is the share of csat scores of 4 or 5, a ratio 0–1.
	CSATSatisfied onemin.Ratio `json:"csat_satisfied"`
	// NPSResponses, Promoters (9–10) and Detractors (0–6) count nps
	// scores.
	NPSResponses int `json:"nps_responses"`
	Promoters    int `json:"promoters"`
	Detractors   int `json:"detractors"`
	// NPS is (Promoters − Detractors) ÷ NPSResponses × 100: a score from
	// −100 to 100, not a ratio; nil (null) without responses.
	NPS     *float64 `json:"nps"`
	csatSum int
}

// Scores summarizes csat and nps events per value of by (use [ByAgent] or
// [ByScenario]; the zero Dimension gives one row with key "total"). A
// score's group is the score event's own field, else the first non-empty
// value among its conversation's events (the agent who handled the dialog),
// else [NoValue]. Rows are ordered by key.
func Scores(events []onemin.Event, by Dimension) []ScoreRow {
	fallback := map[onemin.ConversationKey]string{}
	if by.field != nil {
		order, start, _ := entities(events, conversationID, nil)
		for k := 0; k+1 < len(start); k++ {
			ent := order[start[k]:start[k+1]]
			e := &events[ent[0]]
			fallback[onemin.ConversationKey{Tenant: e.Tenant, ID: e.ConversationID}] = by.key(events, ent, 0)
		}
	}
	rows := map[string]*ScoreRow{}
	for i := range events {
		e := &events[i]
		if e.Kind != onemin.CSAT && e.Kind != onemin.NPS {
			continue
		}
		key := "total"
		if by.hour {
			key = by.key(events, []int32{int32(i)}, 0)
		} else if by.field != nil {
			key = by.field(e)
			if key == "" {
				key = fallback[onemin.ConversationKey{Tenant: e.Tenant, ID: e.ConversationID}]
			}
			if key == "" {
				key = NoValue
			}
		}
		r := rows[key]
		if r == nil {
			r = &ScoreRow{Key: key}
			rows[key] = r
		}
		if e.Kind == onemin.CSAT {
			r.CSATResponses++
			r.csatSum += e.Score
			if e.Score >= 4 {
				r.CSATSatisfied.Num++
			}
			continue
		}
		r.NPSResponses++
		switch {
		case e.Score >= 9:
			r.Promoters++
		case e.Score <= 6:
			r.Detractors++
		}
	}
	out := make([]ScoreRow, 0, len(rows))
	for _, r := range rows {
		r.CSATSatisfied.Den = r.CSATResponses
		if r.CSATResponses > 0 {
			v := float64(r.csatSum) / float64(r.CSATResponses)
			r.CSATAverage = &v
		}
		if r.NPSResponses > 0 {
			v := float64(r.Promoters-r.Detractors) / float64(r.NPSResponses) * 100
			r.NPS = &v
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ScoreRow) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// HandleTimes summarizes handle time = closed − first customer message, per
// conversation, in seconds.
type HandleTimes struct {
	// Conversations counts the conversations with a customer message and
	// a closed event at or after it: the ones measured.
	Conversations int `json:"conversations"`
	// Open counts conversations with a customer message and no closed
	// event after it.
	Open int `json:"open"`
	// MeanSeconds, MedianSeconds and P90Seconds summarize the measured
	// handle times (median and P90 by Hyndman–Fan type 7); nil (null) when
	// nothing was measured.
	MeanSeconds   *float64 `json:"mean_seconds"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
}

// HandleTime measures the average handle time (AHT) of the conversations.
// filter, when not nil, keeps only the events for which it reports true.
func HandleTime(events []onemin.Event, filter func(*onemin.Event) bool) HandleTimes {
	order, start, _ := entities(events, conversationID, filter)
	var (
		h    HandleTimes
		secs []float64
	)
	for k := 0; k+1 < len(start); k++ {
		var first *onemin.Event
		closed := false
		for _, i := range order[start[k]:start[k+1]] {
			e := &events[i]
			if first == nil && e.Kind == onemin.MessageIn {
				first = e
			}
			if first != nil && e.Kind == onemin.Closed {
				secs = append(secs, e.At.Sub(first.At).Seconds())
				closed = true
				break
			}
		}
		if first != nil && !closed {
			h.Open++
		}
	}
	h.Conversations = len(secs)
	if len(secs) > 0 {
		slices.Sort(secs)
		var sum float64
		for _, s := range secs {
			sum += s
		}
		mean := sum / float64(len(secs))
		med, p90 := quantile.Linear(secs, 0.5), quantile.Linear(secs, 0.9)
		h.MeanSeconds, h.MedianSeconds, h.P90Seconds = &mean, &med, &p90
	}
	return h
}
