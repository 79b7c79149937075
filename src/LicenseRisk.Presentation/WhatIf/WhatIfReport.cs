using System.Globalization;
using LicenseRisk.Application;
using LicenseRisk.Model;
using LicenseRisk.Rules;
using LicenseRisk.Scoring;

namespace LicenseRisk.Presentation.WhatIf;

/// <summary>One variant of a what-if: its name (base first), its score and the contributions that differ from the base's.</summary>
public sealed record WhatIfVariant(string Name, VendorScore Score, IReadOnlyList<ContributionChange> Changes);

/// <summary>Everything a what-if output shows: the pack, the day, the horizon, the vendor, the edits and each variant.</summary>
public sealed record WhatIfReport(
    PackInfo Pack,
    string PackSha256,
    Policy? Policy,
    DateOnly AsOf,
    int HorizonMonths,
    Dossier Dossier,
    IReadOnlyList<string> Edits,
    IReadOnlyList<WhatIfVariant> Variants)
{
    public static WhatIfReport Of(CompiledPack pack, Policy? policy, DateOnly asOf, int? horizonMonths, Dossier dossier, IReadOnlyList<SignalEdit> edits, IReadOnlyList<WhatIfVariant> variants) =>
        new(pack.Info, pack.Sha256, policy, asOf, horizonMonths ?? pack.Model.HorizonMonths, dossier, [.. edits.Select(Describe)], variants);

    /// <summary>
    /// The variants of a what-if: the base, then the edited dossier (when there are edits and no
    /// sweep), or one variant per sweep value with the edits applied. Edits that do not apply leave
    /// their located errors in <paramref name="diags"/> (every problem at once).
    /// </summary>
    public static IReadOnlyList<WhatIfVariant> ScoreVariants(global::LicenseRisk.Application.WhatIf whatIf, IReadOnlyList<SignalEdit> edits, IReadOnlyList<SetField> sweep, DiagnosticBag diags)
    {
        var edited = whatIf.Apply(edits, diags);
        var variants = new List<WhatIfVariant> { new("base", whatIf.Base, []) };
        if (edited is not null && sweep.Count == 0 && edits.Count > 0)
        {
            variants.Add(new("edited", edited.Score, edited.Changes));
        }

        foreach (var value in edited is null ? [] : sweep)
        {
            if (whatIf.Apply([.. edits, value], diags) is { } result)
            {
                variants.Add(new(value.Text, result.Score, result.Changes));
            }
        }

        return variants;
    }

    /// <summary>How an edit reads in outputs: <c>add leadership_departure 2026-03-01 (--add:1)</c>, <c>remove 12</c>, <c>set 3.date=2026-01-01</c>.</summary>
    public static string Describe(SignalEdit edit) => edit switch
    {
        AddSignal a => $"add {a.Signal.Kind.Name} {IsoDate.Format(a.Signal.Date)} ({a.Signal.Label})",
        RemoveSignal r => $"remove {r.Target.Text}",
        SetField s => $"set {s.Text}",
        _ => edit.ToString(),
    };

    /// <summary>A signal as the listing shows it: its fields as <c>name=value</c>, in the kind's order.</summary>
    public static string Fields(SignalRecord s) => string.Join(", ", s.Values.Select(v => v.Field.Name + "=" + v.Field.Type switch
    {
        FieldType.String or FieldType.Enum => v.Text,
        FieldType.Bool => v.Flag ? "true" : "false",
        FieldType.Date => IsoDate.Format(DateOnly.FromDayNumber((int)v.Number)),
        _ => v.Number.ToString("R", CultureInfo.InvariantCulture),
    }));
}
