package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/cancuoc/cancuoc/reader/pcsc"
)

func runReaders(e *env, args []string) error {
	fs := flags(e, "readers", "[--json]")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	pc, err := pcsc.Establish()
	if err != nil {
		return err
	}
	defer pc.Close()
	rs, err := pc.Readers()
	if err != nil {
		return err
	}
	type view struct {
		Name        string `json:"name"`
		CardPresent bool   `json:"card_present"`
		ATR         string `json:"atr,omitempty"`
	}
	views := []view{}
	for _, r := range rs {
		views = append(views, view{r.Name, r.CardPresent, hex.EncodeToString(r.ATR)})
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(views)
	}
	for _, v := range views {
		card := "no card"
		if v.CardPresent {
			card = "card present, ATR " + v.ATR
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", v.Name, card)
	}
	if len(views) == 0 {
		fmt.Fprintln(e.stdout, "no readers")
	}
	return nil
}
