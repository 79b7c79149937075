using System.Text;
using LicenseRisk.Model;

namespace LicenseRisk.Backtesting;

/// <summary>
/// Which cases belong to one company, so that cross-validation never fits on one line of a
/// company and tests on another (Meta's Llama and its speech models; Qwen, Qwen-VL and Wan inside
/// Alibaba). Two cases are one company when they share the vendor id; when their parents name the
/// same company; when one's parent names the other's vendor id (MosaicML's parent is Databricks);
/// or when one's id is another's id or parent followed by a line (<c>zhipu-cogview</c> after
/// <c>zhipu</c>, <c>huggingface-m4</c> after a case whose parent is Hugging Face). Names are
/// compared lower-case, letters and digits only, without a parenthesis or a company-form word
/// (Inc., Corporation, Group, Platforms...); a parent written "A / B" or "A, B" names both.
/// Grouping more than needed only costs folds; grouping less would leak.
/// </summary>
public static class CaseGroups
{
    private static readonly HashSet<string> CompanyForms = new(StringComparer.Ordinal)
    {
        "inc", "corp", "corporation", "group", "platforms", "technology", "technologies", "ltd", "llc",
        "limited", "sas", "sa", "gmbh", "co", "company", "plc", "holdings", "the",
    };

    /// <summary>The group index of each dossier (0, 1, ... in order of first appearance) and each group's name (its vendor ids, sorted, joined by '+').</summary>
    public static (int[] GroupOf, IReadOnlyList<string> Names) Of(IReadOnlyList<Dossier> dossiers)
    {
        var n = dossiers.Count;
        var names = dossiers.Select(d => NamesOf(d.Vendor)).ToList();
        var prefixes = dossiers.Select(d => Prefixes(d.Vendor.Id)).ToList();
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                if (names[a].Overlaps(names[b]) || prefixes[a].Overlaps(names[b]) || prefixes[b].Overlaps(names[a]))
                {
                    parent[Find(a)] = Find(b);
                }
            }
        }

        var index = new Dictionary<int, int>();
        var groupOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            var root = Find(i);
            if (!index.TryGetValue(root, out var g))
            {
                index[root] = g = index.Count;
            }

            groupOf[i] = g;
        }

        var groupNames = Enumerable.Range(0, index.Count)
            .Select(g => string.Join("+", Enumerable.Range(0, n).Where(i => groupOf[i] == g).Select(i => dossiers[i].Vendor.Id).Distinct().Order(StringComparer.Ordinal)))
            .ToList();
        return (groupOf, groupNames);
    }

    /// <summary>The names a vendor goes by: its id and each company its parent names.</summary>
    internal static HashSet<string> NamesOf(VendorInfo vendor)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { Compact(vendor.Id) };
        if (vendor.Parent is { } p)
        {
            foreach (var part in WithoutParentheses(p).Split(['/', ',', '&', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                var words = part.ToLowerInvariant().Split([' ', '\t', '.', '-'], StringSplitOptions.RemoveEmptyEntries).Where(w => !CompanyForms.Contains(w));
                var name = Compact(string.Concat(words));
                if (name.Length > 0)
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>Every leading part of an id that ends before a hyphen: "tencent-hunyuan-image" gives "tencent" and "tencenthunyuan".</summary>
    private static HashSet<string> Prefixes(string id)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        for (var i = id.IndexOf('-'); i > 0; i = id.IndexOf('-', i + 1))
        {
            result.Add(Compact(id[..i]));
        }

        return result;
    }

    private static string WithoutParentheses(string text)
    {
        var sb = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : 0;
            if (depth == 0)
            {
                sb.Append(c);
            }

            depth -= c == ')' && depth > 0 ? 1 : 0;
        }

        return sb.ToString();
    }

    private static string Compact(string text) =>
        string.Concat(text.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'));
}
