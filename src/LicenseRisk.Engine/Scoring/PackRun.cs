using LicenseRisk.Model;

namespace LicenseRisk.Scoring;

/// <summary>What firing a pack on one dossier's signals gave: the firings, the derived signals, and the signals considered and ignored.</summary>
public sealed record PackRun(
    IReadOnlyList<Firing> Firings,
    IReadOnlyList<SignalFact> Derived,
    IReadOnlyList<SignalRecord> Considered,
    IReadOnlyList<IgnoredSignal> Ignored);

/// <summary>Whom to score, as of which day, over how many months, under which policy.</summary>
public sealed record ScoreRequest(Dossier Dossier, DateOnly AsOf, int HorizonMonths, Policy? Policy);
