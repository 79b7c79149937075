using LicenseRisk.Rules;
using static LicenseRisk.Benchmarks.Workload.BundledFluent;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>
/// The floor on the realistic workload: the bundled pack's 46 rules as plain C# loops over an
/// <see cref="RDossier"/>'s signals, no rules engine and no expression trees. Each rule mirrors
/// its condition in <see cref="BundledFluent"/> (joins as nested loops, count and sum items over
/// the matching signals, <c>no:</c> items as a search for a blocker, derived signals computed
/// before the rules that read them), with the same strength of a match (confidence x decay) and
/// the same scoring model (<see cref="BundledFluent.Combine"/>). The signals are grouped by kind
/// once per dossier (a counting sort into one array), as a hand-written program would.
/// </summary>
public sealed class RealisticPlainLoop
{
    private const double Y1 = 365;
    private const double Y2 = 730;
    private const int Kinds = (int)RKind.LeadershipExodus + 1;

    /// <summary>The rules' ids, in <see cref="R"/> order (the order of the pack's files): each name of <see cref="R"/> in kebab case.</summary>
    private static readonly string[] Ids = [.. Enum.GetNames<R>().Select(Kebab)];

    private readonly IReadOnlyList<RuleModel> _rules;
    private readonly double _prior;

    /// <summary>Each rule's index in the pack, in <see cref="R"/> order.</summary>
    private readonly int[] _index;

    /// <summary>Each rule's half-life in days, in <see cref="R"/> order; NaN without one.</summary>
    private readonly double[] _halfLife;

    public RealisticPlainLoop(CompiledPack pack)
        : this([.. pack.Rules.Select(r => new RuleModel(r.Id, r.Weight, r.Group, r.HalfLifeDays))], pack.Model.Prior)
    {
    }

    public RealisticPlainLoop(IReadOnlyList<RuleModel> rules, double prior)
    {
        if (rules.Count != Ids.Length || rules.Any(r => Array.IndexOf(Ids, r.Id) < 0))
        {
            throw new InvalidOperationException($"the plain loop has the bundled pack's {Ids.Length} rules, the pack has {rules.Count}: {string.Join(", ", rules.Select(r => r.Id).Except(Ids))}");
        }

        _rules = rules;
        _prior = prior;
        _index = new int[Ids.Length];
        _halfLife = new double[Ids.Length];
        for (var i = 0; i < rules.Count; i++)
        {
            var k = Array.IndexOf(Ids, rules[i].Id);
            _index[k] = i;
            _halfLife[k] = rules[i].HalfLifeDays ?? double.NaN;
        }
    }

    private enum R
    {
        ClosedLabAppointment, ClosedLabLeader, ClosedLabHiringWave,
        ApiPricing, EnterpriseOffering, RevenueTarget, CommercialBreadth, LargeEnterpriseCustomerBase,
        LeadershipExodus, LeadDepartsAfterOpenRelease, SeniorDepartureToClosedLab, FounderOrExecutiveDeparture, ExodusReplacedFromClosedLab,
        LicenceMadeMoreRestrictive, FlagshipUnderRestrictiveLicence, GatedFlagshipRelease, LicenceLoosened,
        CloudInvestor, StrategicInvestor, ExclusivePartnership, ExclusiveCloudPartnership, LargeRaise, PublicMarketMoney,
        YoungVentureBackedStartup, EquityFunded, GrantOrDonationFunded,
        MediaGenerationFlagship, ConsumerOrDevicePivot, ReorgIntoProductUnit, ReorgCommercialFocus, AcquiredByClosedAcquirer, SignificantLayoffs,
        OpenFlagshipCadence, LargeOpenAdoption, BroadOpenAdoption,
        ProClosedStatement, StanceShiftOpenToClosed, ParentSpeaksForClosed, ProOpenStatement, RepeatedProOpenStatements,
        ClosedFlagshipAfterOpenRelease, ApiOnlyFlagshipAlongsideOpenModels, FlagshipLaunchedWithoutWeights, ClosedLineBesideOpenLine,
        NoApiOnlyFlagshipEver, AllFlagshipsOpen,
    }

    public double Score(RDossier dossier) => Combine(_rules, _prior, Strengths(dossier));

    /// <summary>Each rule's strongest match (confidence x decay; 0 when it does not fire), by the rule's index in the pack.</summary>
    public double[] Strengths(RDossier dossier)
    {
        var asOf = dossier.AsOf;
        var strongest = new double[_rules.Count];

        // The signals grouped by kind: a counting sort into one array, each kind a slice.
        var input = dossier.Signals;
        Span<int> start = stackalloc int[Kinds + 1];
        foreach (var s in input)
        {
            start[(int)s.Kind + 1]++;
        }

        for (var k = 1; k <= Kinds; k++)
        {
            start[k] += start[k - 1];
        }

        var sorted = new RSignal[input.Count];
        Span<int> next = stackalloc int[Kinds];
        start[..Kinds].CopyTo(next);
        foreach (var s in input)
        {
            sorted[next[(int)s.Kind]++] = s;
        }

        var releases = Of(sorted, start, RKind.Release);
        var changes = Of(sorted, start, RKind.LicenseChange);
        var departures = Of(sorted, start, RKind.LeadershipDeparture);
        var appointments = Of(sorted, start, RKind.LeadershipAppointment);
        var hirings = Of(sorted, start, RKind.Hiring);
        var fundings = Of(sorted, start, RKind.Funding);
        var partnerships = Of(sorted, start, RKind.Partnership);
        var commercial = Of(sorted, start, RKind.Commercialization);
        var reorgs = Of(sorted, start, RKind.Reorganization);
        var statements = Of(sorted, start, RKind.Statement);
        var adoptions = Of(sorted, start, RKind.Adoption);
        var layoffs = Of(sorted, start, RKind.Layoff);
        var acquisitions = Of(sorted, start, RKind.Acquisition);
        var givenClosedLab = Of(sorted, start, RKind.ClosedLabLeadership);
        var givenExodus = Of(sorted, start, RKind.LeadershipExodus);

        // Scratch for one collection's confidences (dossiers have 8 to 32 signals).
        Span<double> scratch = input.Count <= 64 ? stackalloc double[64] : new double[input.Count];

        // closed-lab.yaml
        // closed-lab-appointment derives closed_lab_leadership (confidence, day); a signal of that kind in the dossier counts too.
        var clCount = givenClosedLab.Length;
        Span<double> clConfidence = clCount + appointments.Length <= 32 ? stackalloc double[32] : new double[clCount + appointments.Length];
        Span<double> clDay = clCount + appointments.Length <= 32 ? stackalloc double[32] : new double[clCount + appointments.Length];
        for (var i = 0; i < clCount; i++)
        {
            clConfidence[i] = givenClosedLab[i].Confidence;
            clDay[i] = givenClosedLab[i].Day;
        }

        foreach (var app in appointments)
        {
            if (app.FromClosedLab && In(app.Seniority, "founder", "executive", "lead"))
            {
                clConfidence[clCount] = app.Confidence;
                clDay[clCount++] = Math.Min(app.AsOf, app.Day);
            }
        }

        for (var i = 0; i < clCount; i++)
        {
            Hit(strongest, asOf, R.ClosedLabLeader, clConfidence[i], clDay[i]);
        }

        {
            var sum = 0.0;
            foreach (var x in hirings)
            {
                if (x.FromClosedLab && x.Age <= Y1)
                {
                    sum += x.Count;
                }
            }

            if (sum >= 10)
            {
                var n = Matching(hirings, static x => x.FromClosedLab && x.Age <= Y1);
                Hit(strongest, asOf, R.ClosedLabHiringWave, TopSum(n, 10, static s => s.Count), Newest(n, double.MinValue));
            }
        }

        // commercial.yaml
        foreach (var c in commercial)
        {
            switch (c.Channel)
            {
                case "api_pricing":
                    Hit(strongest, asOf, R.ApiPricing, c.Confidence, c.Day);
                    break;
                case "enterprise":
                    Hit(strongest, asOf, R.EnterpriseOffering, c.Confidence, c.Day);
                    break;
                case "revenue_target":
                    Hit(strongest, asOf, R.RevenueTarget, c.Confidence, c.Day);
                    break;
            }
        }

        {
            var n = 0;
            var newest = double.MinValue;
            foreach (var x in commercial)
            {
                if (x.Age <= Y1)
                {
                    scratch[n++] = x.Confidence;
                    newest = Math.Max(newest, x.Day);
                }
            }

            if (n >= 3)
            {
                Hit(strongest, asOf, R.CommercialBreadth, Top(scratch[..n], 3), newest);
            }
        }

        foreach (var a in adoptions)
        {
            if (a.EnterpriseCustomers >= 10000)
            {
                Hit(strongest, asOf, R.LargeEnterpriseCustomerBase, a.Confidence, a.Day);
            }
        }

        // leadership.yaml
        // leadership-exodus fires per senior departure with at least 3 senior departures in the
        // 180 days up to it (itself included), and derives leadership_exodus (confidence, day).
        var exCount = givenExodus.Length;
        Span<double> exConfidence = exCount + departures.Length <= 32 ? stackalloc double[32] : new double[exCount + departures.Length];
        Span<double> exDay = exCount + departures.Length <= 32 ? stackalloc double[32] : new double[exCount + departures.Length];
        for (var i = 0; i < exCount; i++)
        {
            exConfidence[i] = givenExodus[i].Confidence;
            exDay[i] = givenExodus[i].Day;
        }

        foreach (var last in departures)
        {
            if (!IsSenior(last.Seniority))
            {
                continue;
            }

            var n = 0;
            var newest = last.Day;
            foreach (var x in departures)
            {
                if (IsSenior(x.Seniority) && last.Day - x.Day >= 0 && last.Day - x.Day <= 180)
                {
                    scratch[n++] = x.Confidence;
                    newest = Math.Max(newest, x.Day);
                }
            }

            if (n >= 3)
            {
                var confidence = last.Confidence * Top(scratch[..n], 3);
                Hit(strongest, asOf, R.LeadershipExodus, confidence, newest);
                exConfidence[exCount] = confidence;
                exDay[exCount++] = Math.Min(last.AsOf, last.Day);
            }
        }

        foreach (var dep in departures)
        {
            var lead = In(dep.Seniority, "founder", "executive", "lead");
            if (lead)
            {
                foreach (var rel in releases)
                {
                    if (rel.Weights == "open" && dep.Day - rel.Day >= 0 && dep.Day - rel.Day <= 30)
                    {
                        Hit(strongest, asOf, R.LeadDepartsAfterOpenRelease, dep.Confidence * rel.Confidence, Math.Max(dep.Day, rel.Day));
                    }
                }

                if (dep.ToClosedLab)
                {
                    Hit(strongest, asOf, R.SeniorDepartureToClosedLab, dep.Confidence, dep.Day);
                }
            }

            if (In(dep.Seniority, "founder", "executive"))
            {
                Hit(strongest, asOf, R.FounderOrExecutiveDeparture, dep.Confidence, dep.Day);
            }
        }

        for (var e = 0; e < exCount; e++)
        {
            for (var c = 0; c < clCount; c++)
            {
                if (clDay[c] - exDay[e] >= -90 && clDay[c] - exDay[e] <= 180)
                {
                    Hit(strongest, asOf, R.ExodusReplacedFromClosedLab, exConfidence[e] * clConfidence[c], Math.Max(exDay[e], clDay[c]));
                }
            }
        }

        // licensing.yaml
        foreach (var ch in changes)
        {
            Hit(strongest, asOf, ch.MoreRestrictive ? R.LicenceMadeMoreRestrictive : R.LicenceLoosened, ch.Confidence, ch.Day);
        }

        foreach (var rel in releases)
        {
            if (rel.Tier != "flagship")
            {
                continue;
            }

            if (In(rel.Weights, "open", "gated") && Restrictive(rel.License))
            {
                Hit(strongest, asOf, R.FlagshipUnderRestrictiveLicence, rel.Confidence, rel.Day);
            }

            if (rel.Weights == "gated")
            {
                Hit(strongest, asOf, R.GatedFlagshipRelease, rel.Confidence, rel.Day);
            }

            // organisation.yaml
            if (In(rel.Modality, "image", "audio", "video"))
            {
                Hit(strongest, asOf, R.MediaGenerationFlagship, rel.Confidence, rel.Day);
            }
        }

        // money.yaml
        foreach (var f in fundings)
        {
            switch (f.InvestorType)
            {
                case "cloud":
                    Hit(strongest, asOf, R.CloudInvestor, f.Confidence, f.Day);
                    break;
                case "strategic":
                    Hit(strongest, asOf, R.StrategicInvestor, f.Confidence, f.Day);
                    break;
                case "public_market":
                    Hit(strongest, asOf, R.PublicMarketMoney, f.Confidence, f.Day);
                    break;
            }

            if (!(f.Recipient == "parent"))
            {
                if (f.Form == "equity" && In(f.InvestorType, "vc", "strategic", "cloud"))
                {
                    Hit(strongest, asOf, R.EquityFunded, f.Confidence, f.Day);
                }

                if (In(f.Form, "grant", "donation"))
                {
                    Hit(strongest, asOf, R.GrantOrDonationFunded, f.Confidence, f.Day);
                }
            }
        }

        foreach (var p in partnerships)
        {
            if (p.Exclusive && !(p.Ended <= p.AsOf))
            {
                Hit(strongest, asOf, R.ExclusivePartnership, p.Confidence, p.Day);
                if (p.CloudDistribution)
                {
                    Hit(strongest, asOf, R.ExclusiveCloudPartnership, p.Confidence, p.Day);
                }
            }
        }

        {
            var sum = 0.0;
            foreach (var x in fundings)
            {
                if (x.Age <= Y1)
                {
                    sum += x.AmountUsd;
                }
            }

            if (sum >= 1_000_000_000)
            {
                var n = Matching(fundings, static x => x.Age <= Y1);
                Hit(strongest, asOf, R.LargeRaise, TopSum(n, 1_000_000_000, static s => s.AmountUsd), Newest(n, double.MinValue));
            }
        }

        foreach (var founder in appointments)
        {
            if (founder.Seniority != "founder" || !(founder.Age <= Y2))
            {
                continue;
            }

            foreach (var f in fundings)
            {
                if (In(f.InvestorType, "vc", "strategic", "cloud") && f.Day - founder.Day >= -180 && f.Day - founder.Day <= 730 && !(f.Recipient == "parent"))
                {
                    Hit(strongest, asOf, R.YoungVentureBackedStartup, founder.Confidence * f.Confidence, Math.Max(founder.Day, f.Day));
                }
            }
        }

        // organisation.yaml (media-generation-flagship is with the flagship releases above)
        foreach (var c in commercial)
        {
            if (In(c.Channel, "consumer_product", "device"))
            {
                Hit(strongest, asOf, R.ConsumerOrDevicePivot, c.Confidence, c.Day);
            }
        }

        foreach (var o in reorgs)
        {
            if (o.CommercialFocus)
            {
                Hit(strongest, asOf, R.ReorgCommercialFocus, o.Confidence, o.Day);
                if (o.MergedWithProductUnit)
                {
                    Hit(strongest, asOf, R.ReorgIntoProductUnit, o.Confidence, o.Day);
                }
            }
        }

        foreach (var acq in acquisitions)
        {
            if (acq.AcquirerClosed)
            {
                Hit(strongest, asOf, R.AcquiredByClosedAcquirer, acq.Confidence, acq.Day);
            }
        }

        foreach (var l in layoffs)
        {
            if (l.Share >= 0.1 || l.Count >= 100)
            {
                Hit(strongest, asOf, R.SignificantLayoffs, l.Confidence, l.Day);
            }
        }

        // protective.yaml
        foreach (var rel in releases)
        {
            if (!(rel.Weights == "open" && rel.Tier == "flagship" && rel.Age <= Y1))
            {
                continue;
            }

            var top = 0.0;
            var any = false;
            var newest = rel.Day;
            foreach (var x in releases)
            {
                if (x.Weights == "open" && x.Tier == "flagship" && x.Age <= Y2 && rel.Day - x.Day >= 120)
                {
                    any = true;
                    top = Math.Max(top, x.Confidence);
                    newest = Math.Max(newest, x.Day);
                }
            }

            if (any)
            {
                Hit(strongest, asOf, R.OpenFlagshipCadence, rel.Confidence * top, newest);
            }
        }

        foreach (var a in adoptions)
        {
            if (a.Downloads >= 100_000_000 || a.Derivatives >= 10_000)
            {
                Hit(strongest, asOf, R.LargeOpenAdoption, a.Confidence, a.Day);
            }

            if (a.Downloads >= 10_000_000 || a.Derivatives >= 1000)
            {
                Hit(strongest, asOf, R.BroadOpenAdoption, a.Confidence, a.Day);
            }
        }

        // statements.yaml
        {
            var openCount = 0;
            var openNewest = double.MinValue;
            foreach (var s in statements)
            {
                if (s.Stance == "pro_closed")
                {
                    if (!(s.SpeakerOrg == "outsider"))
                    {
                        Hit(strongest, asOf, R.ProClosedStatement, s.Confidence, s.Day);
                    }

                    if (s.SpeakerOrg == "parent")
                    {
                        Hit(strongest, asOf, R.ParentSpeaksForClosed, s.Confidence, s.Day);
                    }
                }

                if (s.Stance != "pro_open" || s.SpeakerOrg == "outsider")
                {
                    continue;
                }

                var blocked = false;
                foreach (var c in statements)
                {
                    if (c.Stance == "pro_closed" && c.Day - s.Day > 0 && !(c.SpeakerOrg == "outsider"))
                    {
                        Hit(strongest, asOf, R.StanceShiftOpenToClosed, s.Confidence * c.Confidence, Math.Max(s.Day, c.Day));
                        blocked = true;
                    }
                }

                if (s.Age <= Y2)
                {
                    if (!blocked)
                    {
                        Hit(strongest, asOf, R.ProOpenStatement, s.Confidence, s.Day);
                    }

                    scratch[openCount++] = s.Confidence;
                    openNewest = Math.Max(openNewest, s.Day);
                }
            }

            if (openCount >= 2 && !Any(statements, openNewest, static (c, newest) => c.Stance == "pro_closed" && c.Day - newest > 0 && !(c.SpeakerOrg == "outsider")))
            {
                Hit(strongest, asOf, R.RepeatedProOpenStatements, Top(scratch[..openCount], 2), openNewest);
            }
        }

        // strategy.yaml
        var blockedNoApiOnly = false;
        var blockedAllOpen = false;
        foreach (var x in releases)
        {
            if (x.Tier == "flagship")
            {
                blockedNoApiOnly |= In(x.Weights, "api_only", "withheld", "demo_only") || (x.Weights == "staged" && !(x.WeightsDate <= x.AsOf));
                blockedAllOpen |= x.Weights != "open";
            }
        }

        foreach (var rel in releases)
        {
            var flagship = rel.Tier == "flagship";
            if (rel.Weights == "open")
            {
                foreach (var clo in releases)
                {
                    if (clo.Weights == "api_only" && clo.Tier == "flagship" && clo.Day - rel.Day > 0 && SameLine(clo.Line, rel.Line))
                    {
                        Hit(strongest, asOf, R.ClosedFlagshipAfterOpenRelease, rel.Confidence * clo.Confidence, Math.Max(rel.Day, clo.Day));
                    }

                    if (rel.Line != null && In(clo.Weights, "api_only", "withheld", "demo_only") && clo.Line != null && Ne(clo.Line, rel.Line))
                    {
                        Hit(strongest, asOf, R.ClosedLineBesideOpenLine, rel.Confidence * clo.Confidence, Math.Max(rel.Day, clo.Day));
                    }
                }
            }

            if (!flagship)
            {
                continue;
            }

            if (rel.Weights == "api_only")
            {
                var top = 0.0;
                var any = false;
                var newest = rel.Day;
                foreach (var x in releases)
                {
                    if (x.Weights == "open" && SameLine(x.Line, rel.Line))
                    {
                        any = true;
                        top = Math.Max(top, x.Confidence);
                        newest = Math.Max(newest, x.Day);
                    }
                }

                if (any)
                {
                    Hit(strongest, asOf, R.ApiOnlyFlagshipAlongsideOpenModels, rel.Confidence * top, newest);
                }
            }

            if (In(rel.Weights, "withheld", "demo_only", "staged"))
            {
                var top = 0.0;
                var any = false;
                var newest = rel.Day;
                foreach (var x in releases)
                {
                    if ((In(x.Weights, "open", "gated") || (x.Weights == "staged" && x.WeightsDate <= x.AsOf)) && SameLine(x.Line, rel.Line))
                    {
                        any = true;
                        top = Math.Max(top, x.Confidence);
                        newest = Math.Max(newest, x.Day);
                    }
                }

                if (any)
                {
                    Hit(strongest, asOf, R.FlagshipLaunchedWithoutWeights, rel.Confidence * top, newest);
                }
            }

            if (!blockedNoApiOnly && In(rel.Weights, "open", "gated"))
            {
                Hit(strongest, asOf, R.NoApiOnlyFlagshipEver, rel.Confidence, rel.Day);
            }

            if (!blockedAllOpen && rel.Weights == "open")
            {
                Hit(strongest, asOf, R.AllFlagshipsOpen, rel.Confidence, rel.Day);
            }
        }

        return strongest;
    }

    /// <summary>A firing: the rule's strength is the strongest of its matches, confidence x decay, as <see cref="BundledFluent"/> computes it.</summary>
    private void Hit(double[] strongest, double asOf, R rule, double confidence, double newest)
    {
        var h = _halfLife[(int)rule];
        var decay = !double.IsNaN(h) && double.IsFinite(newest) ? Math.Pow(2, -Math.Max(0, asOf - newest) / h) : 1;
        var i = _index[(int)rule];
        strongest[i] = Math.Max(strongest[i], confidence * decay);
    }

    /// <summary>The signals of one kind: a slice of the counting sort.</summary>
    private static ReadOnlySpan<RSignal> Of(RSignal[] sorted, ReadOnlySpan<int> start, RKind kind) =>
        sorted.AsSpan(start[(int)kind], start[(int)kind + 1] - start[(int)kind]);

    /// <summary>Two optional lines the pack's way: equal, or both missing.</summary>
    private static bool SameLine(string? a, string? b) => Eq(a, b) || !(a != null || b != null);

    /// <summary>The product of the <paramref name="n"/> highest confidences, highest first (sorts <paramref name="confidences"/>).</summary>
    private static double Top(Span<double> confidences, int n)
    {
        confidences.Sort();
        var c = 1.0;
        for (var i = 0; i < n && i < confidences.Length; i++)
        {
            c *= confidences[confidences.Length - 1 - i];
        }

        return c;
    }

    private static List<RSignal> Matching(ReadOnlySpan<RSignal> signals, Func<RSignal, bool> match)
    {
        var list = new List<RSignal>(signals.Length);
        foreach (var s in signals)
        {
            if (match(s))
            {
                list.Add(s);
            }
        }

        return list;
    }

    /// <summary>A sum item: the most confident signals (then newest, then id) with a positive value, until their sum reaches at_least.</summary>
    private static double TopSum(List<RSignal> set, double atLeast, Func<RSignal, double> value)
    {
        set.Sort(static (x, y) =>
        {
            var c = y.Confidence.CompareTo(x.Confidence);
            if (c == 0)
            {
                c = y.Day.CompareTo(x.Day);
            }

            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        });
        var product = 1.0;
        var sum = 0.0;
        foreach (var s in set)
        {
            if (sum >= atLeast)
            {
                break;
            }

            var v = value(s);
            if (v > 0)
            {
                sum += v;
                product *= s.Confidence;
            }
        }

        return product;
    }

    /// <summary>ClosedLabHiringWave as closed-lab-hiring-wave.</summary>
    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "-") + char.ToLowerInvariant(c) : c.ToString()));

    private static double Newest(List<RSignal> set, double day)
    {
        foreach (var s in set)
        {
            day = Math.Max(day, s.Day);
        }

        return day;
    }

    private static bool Any(ReadOnlySpan<RSignal> signals, double day, Func<RSignal, double, bool> match)
    {
        foreach (var s in signals)
        {
            if (match(s, day))
            {
                return true;
            }
        }

        return false;
    }
}
