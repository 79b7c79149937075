using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using FastExpressionCompiler;
using LicenseRisk.Model;
using LicenseRisk.Rules.Binding;
using LicenseRisk.Rules.Lowering;
using LicenseRisk.Yaml;
using NRules;
using NRules.Extensibility;
using NRules.RuleModel;

namespace LicenseRisk.Rules;

public enum ExpressionCompilerKind
{
    /// <summary>FastExpressionCompiler (default): several times faster to compile.</summary>
    Fast,

    /// <summary>System.Linq.Expressions' own compiler.</summary>
    System,

    /// <summary>System.Linq.Expressions' interpreter: nothing is compiled to IL, so nothing is JIT-compiled; best for a few vendors.</summary>
    Interpreted,
}

/// <summary>A pack compiled once into a session factory; immutable and shared across sessions and threads.</summary>
public sealed class CompiledPack
{
    public required PackSyntax Syntax { get; init; }

    public required IReadOnlyList<CompiledRule> Rules { get; init; }

    /// <summary>The NRules session factory (its facts are <see cref="Scoring.SignalFact"/>s; score through <see cref="Scoring.Evaluator"/>).</summary>
    public required ISessionFactory Factory { get; init; }

    public PackInfo Info => Syntax.Info;

    public ModelSettings Model => Syntax.Model;

    public Bands Bands => Syntax.Bands;

    public SignalCatalog Catalog => Syntax.Catalog;

    public string Sha256 => Syntax.Sha256;

    /// <summary>
    /// Each factor group (a rule's group, or the rule alone) with the dossier kinds that can feed
    /// it, derived kinds traced back to what derives them. Used for evidence coverage.
    /// </summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> GroupKinds { get; init; }

    /// <summary><see cref="GroupKinds"/> indexed the way evidence coverage reads it, built with it.</summary>
    public required Scoring.CoverageIndex CoverageIndex { get; init; }

    /// <summary>Warnings found while compiling (errors prevent a pack from existing).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];
}

/// <summary>
/// The compiler pipeline: read YAML (spans) → parse and bind each rule (types) → check derive
/// cycles → lower to NRules' model (expression trees) → compile once into a session factory.
/// </summary>
public static class PackCompiler
{
    public static CompiledPack? Load(string directory, Limits limits, DiagnosticBag diags, ExpressionCompilerKind compiler = ExpressionCompilerKind.Fast)
    {
        var syntax = PackReader.Read(directory, limits, diags);
        return syntax is null ? null : Compile(syntax, diags, compiler);
    }

    public static CompiledPack? Compile(PackSyntax syntax, DiagnosticBag diags, ExpressionCompilerKind compiler = ExpressionCompilerKind.Fast)
    {
        var bound = new List<BoundRule>();
        foreach (var rule in syntax.Rules)
        {
            if (RuleBinder.Bind(rule, syntax.Catalog, diags) is { } b)
            {
                bound.Add(b);
            }
        }

        CheckCycles(bound, diags);
        if (diags.HasErrors)
        {
            return null;
        }

        var expressions = new ExpressionCompilerOfKind(compiler);
        var lowerer = new RuleLowerer(expressions.Compile, syntax.Catalog);
        var definitions = new List<IRuleDefinition>();
        var rules = new List<CompiledRule>();
        for (var i = 0; i < bound.Count; i++)
        {
            var (definition, rule) = lowerer.Lower(bound[i], i, syntax.Model);
            definitions.Add(definition);
            rules.Add(rule);
        }

        var factory = new RuleCompiler { ExpressionCompiler = expressions }.Compile(definitions);
        var groupKinds = GroupKinds(rules);
        return new CompiledPack
        {
            Syntax = syntax,
            Rules = rules,
            Factory = factory,
            GroupKinds = groupKinds,
            CoverageIndex = new(groupKinds),
        };
    }

    private static SortedDictionary<string, IReadOnlySet<string>> GroupKinds(List<CompiledRule> rules)
    {
        IEnumerable<string> Sources(KindDef kind, HashSet<string> seen)
        {
            if (!kind.Derived)
            {
                return [kind.Name];
            }

            if (!seen.Add(kind.Name))
            {
                return [];
            }

            return rules.Where(r => r.Derive?.Kind == kind).SelectMany(r => r.Reads).SelectMany(k => Sources(k, seen)).ToList();
        }

        var result = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var rule in rules.Where(r => r.Weight is not null))
        {
            var key = rule.Group ?? rule.Id;
            var kinds = rule.Reads.SelectMany(k => Sources(k, [])).ToHashSet(StringComparer.Ordinal);
            result[key] = result.TryGetValue(key, out var existing) ? existing.Union(kinds).ToHashSet(StringComparer.Ordinal) : kinds;
        }

        return result;
    }

    /// <summary>Rejects derive chains that feed back into themselves (they could loop forever).</summary>
    private static void CheckCycles(List<BoundRule> rules, DiagnosticBag diags)
    {
        var edges = new Dictionary<string, List<(string To, BoundRule Rule)>>(StringComparer.Ordinal);
        foreach (var r in rules.Where(r => r.Derive is not null))
        {
            foreach (var read in r.Slots.Select(s => s.Kind.Name).Distinct())
            {
                if (!edges.TryGetValue(read, out var list))
                {
                    edges[read] = list = [];
                }

                list.Add((r.Derive!.Kind.Name, r));
            }
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rules.Where(r => r.Derive is not null))
        {
            var start = r.Derive!.Kind.Name;
            var path = FindPath(edges, start, start, []);
            if (path is not null && reported.Add(r.Syntax.Id))
            {
                var chain = string.Join(" → ", path.Select(p => $"{p.Rule.Syntax.Id} derives {p.To}"));
                diags.Report(r.Syntax.Derive!.KindName.Span, DiagnosticCodes.DeriveCycle, $"derive cycle: '{start}' feeds back into itself ({chain}); rules could fire forever");
            }
        }
    }

    private static List<(string To, BoundRule Rule)>? FindPath(
        Dictionary<string, List<(string To, BoundRule Rule)>> edges, string from, string target, HashSet<string> visited)
    {
        if (!edges.TryGetValue(from, out var next) || !visited.Add(from))
        {
            return null;
        }

        foreach (var edge in next)
        {
            if (edge.To == target)
            {
                return [edge];
            }

            if (FindPath(edges, edge.To, target, visited) is { } rest)
            {
                return [edge, .. rest];
            }
        }

        return null;
    }

    /// <summary>
    /// Compiles and fires a one-rule network over a made-up kind with the interpreting compiler,
    /// so that NRules' and the expression interpreter's first-use costs (type loading, first calls)
    /// are paid. The CLI runs it on a background thread while it reads the pack; it shares nothing.
    /// </summary>
    /// <returns>How many rules fired: 1 when the warm-up did its work.</returns>
    public static int WarmUp()
    {
        var builder = new NRules.RuleModel.Builders.RuleBuilder();
        builder.Name("warm-up");
        var pattern = builder.LeftHandSide().Pattern(typeof(Scoring.SignalFact), "s");
        var self = pattern.Declaration.ToParameterExpression();
        pattern.Condition(Expression.Lambda<Func<Scoring.SignalFact, bool>>(
            Expression.GreaterThanOrEqual(Lowering.ExprLowerer.Member(self, nameof(Scoring.SignalFact.Confidence)), Expression.Constant(0.0)), self));
        builder.RightHandSide().Action(Expression.Lambda<Action<IContext, Scoring.SignalFact>>(Expression.Empty(), Expression.Parameter(typeof(IContext), "ctx"), self));
        var factory = new RuleCompiler { ExpressionCompiler = new ExpressionCompilerOfKind(ExpressionCompilerKind.Interpreted) }.Compile([builder.Build()]);
        var session = factory.CreateSession();
        session.Insert(Scoring.SignalFact.Create(new KindDef("warm_up", 0, false, [], SourceSpan.None("warm-up")), 0, 0, 1, "warm-up"));
        return session.Fire();
    }

    /// <summary>
    /// The expression compiler a pack of this kind is compiled with, for our lowered expressions
    /// and NRules' own alike (the benchmarks give the fluent baseline the same one).
    /// </summary>
    public static IExpressionCompiler ExpressionCompiler(ExpressionCompilerKind kind) => new ExpressionCompilerOfKind(kind);

    /// <summary>
    /// One choice of expression compiler, for our lowered expressions and for NRules' own alike.
    /// Where the runtime cannot run code generated at run time (a Native AOT build), every kind
    /// interprets: FastExpressionCompiler and <see cref="LambdaExpression.Compile()"/> emit IL.
    /// </summary>
    private sealed class ExpressionCompilerOfKind(ExpressionCompilerKind kind) : IExpressionCompiler
    {
        public Delegate Compile(LambdaExpression e) =>
            RuntimeFeature.IsDynamicCodeSupported ? CompileToIL(e) : e.Compile(preferInterpretation: true);

        // IsDynamicCodeSupported is a constant false in a Native AOT build (the only trimmed one), so the
        // AOT compiler removes this method with FastExpressionCompiler; the trim analyzer, which does not
        // know that RuntimeFeature.IsDynamicCodeSupported also guards RequiresUnreferencedCode, still warns.
        [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
            Justification = "Only called where RuntimeFeature.IsDynamicCodeSupported, which a Native AOT build removes.")]
        [RequiresDynamicCode("Compiles expression trees to IL.")]
        private Delegate CompileToIL(LambdaExpression e) => kind switch
        {
            ExpressionCompilerKind.Fast => e.CompileFast(ifFastFailedReturnNull: true) ?? e.Compile(),
            ExpressionCompilerKind.Interpreted => e.Compile(preferInterpretation: true),
            _ => e.Compile(),
        };

        public TDelegate Compile<TDelegate>(Expression<TDelegate> expression)
            where TDelegate : Delegate => (TDelegate)Compile((LambdaExpression)expression);
    }
}
