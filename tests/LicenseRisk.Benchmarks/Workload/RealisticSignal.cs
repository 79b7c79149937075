namespace LicenseRisk.Benchmarks.Workload;

/// <summary>The dossier kinds of the bundled pack, and its two derived kinds.</summary>
public enum RKind
{
    Release,
    LicenseChange,
    LeadershipDeparture,
    LeadershipAppointment,
    Hiring,
    Funding,
    Partnership,
    Commercialization,
    Reorganization,
    Statement,
    Adoption,
    Layoff,
    Acquisition,
    ClosedLabLeadership,
    LeadershipExodus,
}

/// <summary>
/// A signal of the bundled pack in neutral form (also the fluent baseline's fact type): every
/// field the pack declares, as a typed property. The generator sets every field of the spec's
/// table; the optional fields added in issue #15 (line, weights_date, speaker_org, form,
/// recipient, ended) are null when missing, and the fluent rules spell out the rule language's
/// reading of a missing field (a comparison that reads it is false; a date field later than the
/// as-of day reads as missing).
/// </summary>
public sealed class RSignal
{
    public RKind Kind { get; init; }

    public double Day { get; init; }

    public double AsOf { get; init; }

    public double Age => AsOf - Day;

    public double Confidence { get; init; }

    public string Id { get; init; } = string.Empty;

    public string? Model { get; init; }

    public string? Weights { get; init; }

    public string? License { get; init; }

    public string? Tier { get; init; }

    public bool MoreRestrictive { get; init; }

    public string? Person { get; init; }

    public string? Seniority { get; init; }

    public bool ToClosedLab { get; init; }

    public bool FromClosedLab { get; init; }

    public string? Org { get; init; }

    public double Count { get; init; }

    public double Share { get; init; }

    public double AmountUsd { get; init; }

    public string? InvestorType { get; init; }

    public bool Exclusive { get; init; }

    public bool CloudDistribution { get; init; }

    public string? Channel { get; init; }

    public bool MergedWithProductUnit { get; init; }

    public bool CommercialFocus { get; init; }

    public string? Stance { get; init; }

    public double Downloads { get; init; }

    public double Derivatives { get; init; }

    public double EnterpriseCustomers { get; init; }

    public bool AcquirerClosed { get; init; }

    /// <summary>release.line: the model line, null when missing.</summary>
    public string? Line { get; init; }

    /// <summary>release.modality, null when missing.</summary>
    public string? Modality { get; init; }

    /// <summary>release.weights_date as a day number, null when missing (a day after <see cref="AsOf"/> reads as missing).</summary>
    public double? WeightsDate { get; init; }

    /// <summary>statement.speaker_org, null when missing.</summary>
    public string? SpeakerOrg { get; init; }

    /// <summary>funding.form, null when missing.</summary>
    public string? Form { get; init; }

    /// <summary>funding.recipient, null when missing.</summary>
    public string? Recipient { get; init; }

    /// <summary>partnership.ended as a day number, null when missing (a day after <see cref="AsOf"/> reads as missing).</summary>
    public double? Ended { get; init; }

    /// <summary>The activation that derived it, null for a dossier signal (read only by the "fluent, same output" baseline, after the session).</summary>
    public NRules.RuleModel.IMatch? Match { get; init; }

    /// <summary>The signal's fields as the pack names them (dossier kinds only), without the missing ones; a date field is a <see cref="DateOnly"/>.</summary>
    public IEnumerable<(string Field, object Value)> Fields() => Present(Kind switch
    {
        RKind.Release => [("model", Model!), ("weights", Weights!), ("license", License!), ("tier", Tier!), ("line", Line), ("weights_date", Date(WeightsDate)), ("modality", Modality)],
        RKind.LicenseChange => [("model", Model!), ("from", "old"), ("to", "new"), ("more_restrictive", MoreRestrictive)],
        RKind.LeadershipDeparture => [("person", Person!), ("role", "lead"), ("seniority", Seniority!), ("to_org", Org!), ("to_closed_lab", ToClosedLab)],
        RKind.LeadershipAppointment => [("person", Person!), ("role", "lead"), ("seniority", Seniority!), ("from_org", Org!), ("from_closed_lab", FromClosedLab)],
        RKind.Hiring => [("count", Count), ("from_org", Org!), ("from_closed_lab", FromClosedLab)],
        RKind.Funding => [("amount_usd", AmountUsd), ("investor", Org!), ("investor_type", InvestorType!), ("form", Form), ("recipient", Recipient)],
        RKind.Partnership => [("partner", Org!), ("exclusive", Exclusive), ("cloud_distribution", CloudDistribution), ("ended", Date(Ended))],
        RKind.Commercialization => [("channel", Channel!), ("detail", "generated")],
        RKind.Reorganization => [("detail", "generated"), ("merged_with_product_unit", MergedWithProductUnit), ("commercial_focus", CommercialFocus)],
        RKind.Statement => [("speaker", Person!), ("stance", Stance!), ("speaker_org", SpeakerOrg)],
        RKind.Adoption => [("downloads", Downloads), ("derivatives", Derivatives), ("enterprise_customers", EnterpriseCustomers)],
        RKind.Layoff => [("count", Count), ("share", Share)],
        RKind.Acquisition => [("acquirer", Org!), ("acquirer_closed", AcquirerClosed)],
        _ => [],
    });

    private static IEnumerable<(string Field, object Value)> Present(IEnumerable<(string Field, object? Value)> fields)
    {
        foreach (var (field, value) in fields)
        {
            if (value is not null)
            {
                yield return (field, value);
            }
        }
    }

    private static object? Date(double? day) => day is { } d ? DateOnly.FromDayNumber((int)d) : null;

    public static string KindName(RKind kind) => kind switch
    {
        RKind.LicenseChange => "license_change",
        RKind.LeadershipDeparture => "leadership_departure",
        RKind.LeadershipAppointment => "leadership_appointment",
        RKind.ClosedLabLeadership => "closed_lab_leadership",
        RKind.LeadershipExodus => "leadership_exodus",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A vendor's signals for the bundled pack in neutral form.</summary>
public sealed class RDossier
{
    public required string Vendor { get; init; }

    public required double AsOf { get; init; }

    public required IReadOnlyList<RSignal> Signals { get; init; }
}

