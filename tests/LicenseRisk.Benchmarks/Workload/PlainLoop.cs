namespace LicenseRisk.Benchmarks.Workload;

/// <summary>The floor: the same rules as hand-written C# loops over the signals, no rules engine.</summary>
public sealed class PlainLoop(IReadOnlyList<RuleSpec> rules)
{
    public double Score(WDossier dossier)
    {
        var asOf = dossier.AsOf;
        var signals = dossier.Signals;
        var strongest = new double[rules.Count];

        // Derived facts per derived kind: (confidence, day) of each derive firing.
        var derived = new List<(double Confidence, double Day)>?[rules.Count];
        foreach (var rule in rules)
        {
            var best = 0.0;
            switch (rule.Shape)
            {
                case Shape.Single:
                    foreach (var s in signals)
                    {
                        if (s.Kind == rule.Kind && s.Level >= rule.Level && (rule.Tag is null || s.Tag == rule.Tag))
                        {
                            best = Math.Max(best, Reference.Strength(rule, s.Confidence, s.Day, asOf));
                        }
                    }

                    break;
                case Shape.Join:
                    foreach (var a in signals)
                    {
                        if (a.Kind != rule.Kind || a.Level < rule.Level)
                        {
                            continue;
                        }

                        foreach (var b in signals)
                        {
                            var days = b.Day - a.Day;
                            if (b.Kind == rule.Kind2 && b.Tag == rule.Tag2 && days >= 0 && days <= rule.Window)
                            {
                                best = Math.Max(best, Reference.Strength(rule, a.Confidence * b.Confidence, Math.Max(a.Day, b.Day), asOf));
                            }
                        }
                    }

                    break;
                case Shape.No:
                    foreach (var a in signals)
                    {
                        if (a.Kind != rule.Kind || a.Level < rule.Level)
                        {
                            continue;
                        }

                        var blocked = false;
                        foreach (var b in signals)
                        {
                            if (b.Kind == rule.Kind2 && b.Tag == rule.Tag2 && b.Day >= a.Day)
                            {
                                blocked = true;
                                break;
                            }
                        }

                        if (!blocked)
                        {
                            best = Math.Max(best, Reference.Strength(rule, a.Confidence, a.Day, asOf));
                        }
                    }

                    break;
                case Shape.Count:
                    var matched = new List<WSignal>();
                    foreach (var s in signals)
                    {
                        if (s.Kind == rule.Kind && s.Level >= rule.Level)
                        {
                            matched.Add(s);
                        }
                    }

                    if (matched.Count >= rule.AtLeast)
                    {
                        matched.Sort(static (x, y) => y.Confidence != x.Confidence ? y.Confidence.CompareTo(x.Confidence) : y.Day.CompareTo(x.Day));
                        var confidence = 1.0;
                        var newest = double.MinValue;
                        for (var i = 0; i < rule.AtLeast; i++)
                        {
                            confidence *= matched[i].Confidence;
                        }

                        foreach (var m in matched)
                        {
                            newest = Math.Max(newest, m.Day);
                        }

                        best = Reference.Strength(rule, confidence, newest, asOf);
                    }

                    break;
                case Shape.Derive:
                    var made = derived[rule.Derived] = [];
                    foreach (var s in signals)
                    {
                        if (s.Kind == rule.Kind && s.Level >= rule.Level && (rule.Tag is null || s.Tag == rule.Tag))
                        {
                            made.Add((s.Confidence, s.Day));
                        }
                    }

                    break;
                case Shape.UseDerived:
                    foreach (var (confidence, day) in derived[rule.Derived] ?? [])
                    {
                        best = Math.Max(best, Reference.Strength(rule, confidence, day, asOf));
                    }

                    break;
            }

            strongest[rule.Index] = best;
        }

        return Reference.Probability(rules, strongest);
    }
}
