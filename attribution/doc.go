// Package attribution shares conversions and their value among the
// channels (or sources, or campaigns) that a customer touched on the way:
// the question "which channel earned this sale?" when a customer clicked
// an ad, wrote to the bot, got an e-mail and then paid.
//
// # Paths
//
// A [Path] is one customer journey: the touchpoints in time order and how
// it ended (converted, with a value, or not: a null). [BuildPaths] reads
// paths from events: a contact's touches are its touch events and the start
// of each of its conversations (on the conversation's channel); each
// payment (or won deal, or lead, as chosen) closes a path of the touches
// since the previous one, within a lookback window. [ReadPaths] reads the
// aggregated format of the ChannelAttribution package, one line per
// distinct path with its counts:
//
//	path;total_conversions;total_conversion_value;total_null
//	vk > web > whatsapp;3;45000.00;12
//
// # Models
//
// [Attribute] shares every converting path's conversions and value among
// its touches (n touches, the i-th at time tᵢ, conversion at T):
//
//   - first touch: all to touch 1; last touch: all to touch n;
//   - linear: 1/n to each touch (a channel touched twice gets 2/n);
//   - time decay: touch i gets wᵢ/Σw with wᵢ = 2^(−(T−tᵢ)/H), H the
//     half-life, 7 days by default;
//   - position-based: 40 % to the first touch, 40 % to the last, 20 %
//     shared equally by those between; one touch gets 100 %, two get 50/50;
//   - simplified Shapley: 1/k to each of the k distinct channels of the path;
//   - Markov: the paths (with consecutive repeats collapsed) define a
//     chain (of order 1 by default) from a start state through the
//     channels to two absorbing states, conversion and null, with
//     transition probabilities counted from the paths. P is the probability
//     of reaching conversion from start; removing channel c (every
//     transition into c goes to null) gives P₋c, and c's removal effect is
//     RE_c = 1 − P₋c/P. All conversions and all value are shared in
//     proportion to the removal effects: credit_c = total · RE_c / Σ RE.
//     P and every P₋c are solved exactly from the absorbing chain's linear
//     system, not simulated. [Options.Order] above 1 makes each state
//     remember the last few channels, and removing c removes every state
//     that remembers it.
//
// # Exact totals
//
// Credits are never rounded apart from their totals. A channel's
// conversions are fractional, kept to a millionth, and the channels' shares
// sum exactly to the number of conversions; its value is in the minor unit
// of the currency (or finer, when the values have more decimal places) and
// the shares sum exactly to the total value. Both splits use the largest
// remainder method with ties broken by channel name, so the result does not
// depend on the order of the paths.
//
// # Example
//
//	paths, _ := attribution.BuildPaths(events, attribution.PathOptions{
//		Level:    attribution.LevelChannel,
//		Lookback: 30 * 24 * time.Hour,
//	})
//	res, err := attribution.Attribute(paths.Paths, attribution.Markov,
//		attribution.Options{Currency: paths.Currency})
//	for _, c := range res.Channels {
//		fmt.Println(c.Channel, c.Conversions, c.Value)
//	}
package attribution
