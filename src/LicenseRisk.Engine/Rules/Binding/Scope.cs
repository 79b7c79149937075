using LicenseRisk.Model;

namespace LicenseRisk.Rules.Binding;

/// <summary>What names mean where an expression stands: its own signal's kind (if any) and the aliases bound so far.</summary>
public sealed class Scope
{
    private readonly Dictionary<string, Slot> _aliases = new(StringComparer.Ordinal);

    public Scope(KindDef? self, IEnumerable<Slot> visible)
    {
        Self = self;
        foreach (var s in visible)
        {
            if (s.Alias is not null)
            {
                _aliases[s.Alias] = s;
            }
        }
    }

    /// <summary>The kind whose fields bare names refer to; null in templates.</summary>
    public KindDef? Self { get; }

    public IReadOnlyCollection<Slot> Aliases => _aliases.Values;

    public Slot? Alias(string name) => _aliases.GetValueOrDefault(name);

    /// <summary>The item's own alias: <c>rel.date</c> inside rel's where means rel's own date.</summary>
    public string? SelfAlias { get; init; }

    /// <summary>In templates, bare <c>count</c> / <c>sum</c> mean the rule's only aggregate.</summary>
    public Slot? SoleAggregate { get; init; }
}
