using System.Reflection;

namespace LicenseRisk.Model;

/// <summary>
/// Every diagnostic the product reports, one entry per LRnnn code: its severity, a short title and
/// a help text saying what to do. The only place a code is written; docs/diagnostics.md lists the
/// same table (a test compares them).
/// </summary>
public static class DiagnosticCodes
{
    // LR001-LR009: reading a file as YAML.
    public static readonly DiagnosticDescriptor FileNotFound = Error(
        "LR001", "file or folder not found, or not the kind expected",
        "Check the path: it is resolved from the current folder. A file is expected where a file is read; a rule pack is a folder holding pack.yaml.");

    public static readonly DiagnosticDescriptor FileTooLarge = Error(
        "LR002", "file too large",
        "Split the content over several files; the size limit guards against runaway input.");

    public static readonly DiagnosticDescriptor NotText = Error(
        "LR003", "file is not UTF-8 text",
        "Save the file as UTF-8 text; a NUL byte or an invalid byte sequence usually means a binary file was given.");

    public static readonly DiagnosticDescriptor InvalidYaml = Error(
        "LR004", "invalid YAML",
        "Fix the YAML syntax at the place shown: indent with spaces only, close every bracket and quote.");

    public static readonly DiagnosticDescriptor NotOneDocument = Error(
        "LR005", "not exactly one YAML document",
        "Write one document per file: remove a second '---' document or fill an empty file.");

    public static readonly DiagnosticDescriptor YamlTooDeep = Error(
        "LR006", "YAML nested too deeply",
        "Flatten the structure; no valid input nests anywhere near the limit.");

    public static readonly DiagnosticDescriptor AliasNotAllowed = Error(
        "LR007", "YAML alias not allowed",
        "Write the repeated list or mapping out in full; aliases of collections and very many aliases are refused because they can expand exponentially.");

    public static readonly DiagnosticDescriptor ValueTooLong = Error(
        "LR008", "YAML value too long",
        "Shorten the value; a note or source needs a sentence or a link, not a document.");

    public static readonly DiagnosticDescriptor TooManyNodes = Error(
        "LR009", "too many YAML nodes",
        "Split the content over several files.");

    // LR010-LR018: the shape of YAML values.
    public static readonly DiagnosticDescriptor NotMappingOrList = Error(
        "LR010", "expected a mapping or a list",
        "Write the value in the shape the format asks for: 'key: value' lines for a mapping, '- item' lines for a list.");

    public static readonly DiagnosticDescriptor NotString = Error(
        "LR011", "expected text",
        "Write a plain or quoted text value here, not a list or mapping.");

    public static readonly DiagnosticDescriptor NotNumber = Error(
        "LR012", "expected a number",
        "Write a finite number (a whole number where one is asked for); .nan and .inf are not accepted.");

    public static readonly DiagnosticDescriptor NotBoolean = Error(
        "LR013", "expected true or false",
        "Write true or false.");

    public static readonly DiagnosticDescriptor BadDate = Error(
        "LR014", "invalid date",
        "Write a real calendar date as YYYY-MM-DD between the years 1900 and 2200.");

    public static readonly DiagnosticDescriptor KeyNotText = Error(
        "LR015", "key is not text",
        "Use a plain text key; lists or mappings cannot be keys.");

    public static readonly DiagnosticDescriptor DuplicateKey = Error(
        "LR016", "duplicate key",
        "Remove or rename one of the two keys; YAML would otherwise keep only one silently.");

    public static readonly DiagnosticDescriptor MissingKey = Error(
        "LR017", "missing required key",
        "Add the key with a value; see the format reference for the required keys.");

    public static readonly DiagnosticDescriptor UnknownKey = Error(
        "LR018", "unknown key",
        "Check the spelling against the format reference (the message suggests the closest key); unknown keys are errors so a typo cannot be ignored.");

    // LR020-LR024: signals in a dossier or rule test.
    public static readonly DiagnosticDescriptor UnknownSignalKind = Error(
        "LR020", "unknown or derived signal kind",
        "Use a kind declared in the pack's signals.yaml; kinds marked derived: true are produced by rules and cannot be written by hand.");

    public static readonly DiagnosticDescriptor ConfidenceOutOfRange = Error(
        "LR021", "confidence out of range",
        "Give confidence as a number from 0 to 1.");

    public static readonly DiagnosticDescriptor MissingSignalField = Error(
        "LR022", "missing signal field",
        "Add the field the signal's kind requires (see signals.yaml for its type).");

    public static readonly DiagnosticDescriptor UnknownEnumValue = Error(
        "LR023", "value not allowed for the field",
        "Use one of the values listed in the message; a signal field's values are declared in signals.yaml, case.certainty is high, medium or low, and case.vendor_type is research, startup or big-company.");

    public static readonly DiagnosticDescriptor ReportedBeforeDate = Error(
        "LR024", "reported before the event",
        "'reported' is the day the event became known, so it cannot come before the signal's 'date'; leave it out when the event was known the day it happened.");

    // LR030-LR035: dossiers.
    public static readonly DiagnosticDescriptor DuplicateVendorId = Error(
        "LR030", "duplicate vendor id",
        "Give each dossier its own vendor id, or remove the duplicate file; backtest cases may share an id when their as_of dates differ.");

    public static readonly DiagnosticDescriptor BadVendorId = Error(
        "LR031", "invalid vendor id",
        "Use lowercase letters, digits and '-', starting with a letter or digit.");

    public static readonly DiagnosticDescriptor DossierHorizonOutOfRange = Error(
        "LR032", "horizon out of range",
        "Give horizon_months as a whole number from 1 to 120.");

    public static readonly DiagnosticDescriptor DuplicateSignalId = Error(
        "LR033", "duplicate signal id",
        "Give each signal in a dossier its own id.");

    public static readonly DiagnosticDescriptor TooManySignals = Error(
        "LR034", "too many signals",
        "Remove signals that no longer matter; the limit per dossier guards against runaway input.");

    public static readonly DiagnosticDescriptor NoDossierFiles = Error(
        "LR035", "no dossier files",
        "Point at a folder that holds dossier files ending in .yaml or .yml, or at the files themselves.");

    // LR036-LR037: collection blocks in dossiers (vendor.sources, a signal's provenance).
    public static readonly DiagnosticDescriptor BadVendorSource = Error(
        "LR036", "invalid vendor source",
        "Under vendor.sources give huggingface, openrouter and github as lists of organisation or prefix names (letters, digits, '-', '_', '.') and feeds as a list of http(s) addresses.");

    public static readonly DiagnosticDescriptor BadProvenance = Error(
        "LR037", "invalid signal provenance",
        "A provenance block is written by 'licenserisk review accept': restore collector, url, fetched_at, sha256 and candidate as it wrote them, or remove the block to make the signal a hand-typed one.");

    // LR040-LR046: the pack's pack.yaml and signals.yaml.
    public static readonly DiagnosticDescriptor PackSettingOutOfRange = Error(
        "LR040", "pack setting out of range",
        "Set the value inside the range the message gives (horizon_months 1 to 120, half_life_days above 0, default_sd not negative, probabilities strictly between 0 and 1).");

    public static readonly DiagnosticDescriptor BadBandThreshold = Error(
        "LR041", "invalid band threshold",
        "Give each band a threshold from 0 to 1, written in increasing order.");

    public static readonly DiagnosticDescriptor BadDeclaredName = Error(
        "LR042", "invalid kind or field name",
        "Name kinds and fields with lowercase letters, digits and '_', starting with a letter.");

    public static readonly DiagnosticDescriptor ReservedFieldName = Error(
        "LR043", "field name is reserved",
        "Rename the field: kind, date, source, confidence, note, id, age, as_of and extra are common to every signal already.");

    public static readonly DiagnosticDescriptor TooManyFields = Error(
        "LR044", "too many fields in a kind",
        "Split the kind into two or drop fields that no rule reads.");

    public static readonly DiagnosticDescriptor BadFieldType = Error(
        "LR045", "invalid field type",
        "Use string, number, int, bool, date or enum; an enum field needs a non-empty values list and only enum fields take one.");

    public static readonly DiagnosticDescriptor TooManyRules = Error(
        "LR046", "too many rules in the pack",
        "Merge or remove rules; the limit guards against runaway input.");

    // LR050-LR059: rule files.
    public static readonly DiagnosticDescriptor BadRuleId = Error(
        "LR050", "invalid rule id",
        "Use lowercase letters, digits and '-', starting with a letter or digit.");

    public static readonly DiagnosticDescriptor RuleSettingOutOfRange = Error(
        "LR051", "rule setting out of range",
        "Give sd a value of 0 or more and half_life_days a value above 0; argued_weight needs a weight beside it, a value from -5 to 5, and an sd above 0 when it differs from the weight.");

    public static readonly DiagnosticDescriptor EmptyWhen = Error(
        "LR052", "empty 'when'",
        "Give 'when' at least one item; a rule without conditions would fire for every vendor.");

    public static readonly DiagnosticDescriptor RuleWithoutEffect = Error(
        "LR053", "rule has no effect",
        "Add a weight (evidence for the score), a derive (a derived signal), or both.");

    public static readonly DiagnosticDescriptor BadItemHead = Error(
        "LR054", "item needs exactly one head",
        "Start each item of 'when' with exactly one of signal:, no:, count:, sum: or any:.");

    public static readonly DiagnosticDescriptor BadAliasName = Error(
        "LR055", "invalid alias name",
        "Name aliases with lowercase letters, digits and '_', starting with a letter.");

    public static readonly DiagnosticDescriptor BadAnyItem = Error(
        "LR056", "invalid 'any' item",
        "Give any: a non-empty list of branches, each a list of items, and nothing else (no as, where, at_least or at_most).");

    public static readonly DiagnosticDescriptor MisplacedItemOption = Error(
        "LR057", "option does not fit the item",
        "Use at_least and at_most only with count: and sum: (they need at least one of them), and bind no alias to a no: item.");

    public static readonly DiagnosticDescriptor BadSumTarget = Error(
        "LR058", "invalid sum target",
        "Write sum: as KIND.FIELD, for example sum: funding.amount_usd.");

    public static readonly DiagnosticDescriptor DuplicateRuleId = Error(
        "LR059", "duplicate rule id",
        "Give each rule in the pack its own id; the message names the place of the first one.");

    // LR060-LR062: binding a rule's items.
    public static readonly DiagnosticDescriptor UnknownRuleKind = Error(
        "LR060", "unknown signal kind in a rule",
        "Use a kind declared in signals.yaml (the message suggests the closest one).");

    public static readonly DiagnosticDescriptor BadSumField = Error(
        "LR061", "invalid sum field",
        "Sum a number field that the kind declares.");

    public static readonly DiagnosticDescriptor AliasAlreadyBound = Error(
        "LR062", "alias bound twice",
        "Use a new alias name; an alias may repeat only across the branches of one any:, for the same kind of item.");

    // LR070-LR073: derived signals.
    public static readonly DiagnosticDescriptor BadDeriveKind = Error(
        "LR070", "derive names a kind that is not derived",
        "Declare the kind in signals.yaml with derived: true, or fix the kind name.");

    public static readonly DiagnosticDescriptor UnknownDeriveField = Error(
        "LR071", "unknown field in derive",
        "Set only fields the derived kind declares (the message suggests the closest one).");

    public static readonly DiagnosticDescriptor MissingDeriveField = Error(
        "LR072", "derive misses a required field",
        "Set every required field of the derived kind in the derive block.");

    public static readonly DiagnosticDescriptor DeriveCycle = Error(
        "LR073", "derive cycle",
        "Break the chain of rules the message lists so that no derived signal feeds back into its own rule.");

    // LR081-LR084: rule tests (the pack's tests/*.yaml).
    public static readonly DiagnosticDescriptor UnknownTestTarget = Error(
        "LR081", "test names something not in the pack",
        "Name a rule or kind that exists in the pack (the message suggests the closest one).");

    public static readonly DiagnosticDescriptor UnknownTestBand = Error(
        "LR082", "test names an unknown band",
        "Use one of the bands the message lists; they are declared in pack.yaml.");

    public static readonly DiagnosticDescriptor TestChecksNothing = Error(
        "LR083", "test checks nothing",
        "Add at least one expectation under 'expect': fires, not_fires, derives, not_derives, probability, contribution or band.");

    public static readonly DiagnosticDescriptor BadTestRange = Error(
        "LR084", "invalid expected range",
        "Give at_least, at_most or both, with at_least not above at_most.");

    // LR090: warnings about dossiers.
    public static readonly DiagnosticDescriptor SignalWithoutSource = Warning(
        "LR090", "signal has no source",
        "Add a source (a link or a citation) so a reader can check the evidence; the signal still counts.");

    // LR100-LR107: expressions in rules.
    public static readonly DiagnosticDescriptor ExpressionSyntax = Error(
        "LR100", "expression syntax error",
        "Fix the expression at the column shown; see the rule format for operators and functions.");

    public static readonly DiagnosticDescriptor UnknownName = Error(
        "LR101", "unknown name",
        "Use an alias bound by the rule's items, a field of the signal, or a literal (the message suggests the closest name).");

    public static readonly DiagnosticDescriptor UnknownMember = Error(
        "LR102", "unknown field",
        "Use a field the kind declares, or a common field (date, confidence, source, note, id, age).");

    public static readonly DiagnosticDescriptor TypeMismatch = Error(
        "LR103", "type mismatch",
        "Make the types agree as the message says, for example compare a number with a number and give conditions a true or false value.");

    public static readonly DiagnosticDescriptor UnknownEnumValueInExpression = Error(
        "LR104", "value not allowed for the field in a rule",
        "Use one of the values listed in the message; they are declared in signals.yaml.");

    public static readonly DiagnosticDescriptor UnknownFunction = Error(
        "LR105", "unknown function",
        "Use one of the functions the message lists.");

    public static readonly DiagnosticDescriptor WrongArgumentCount = Error(
        "LR106", "wrong number of arguments",
        "Call the function with the number of arguments its signature shows.");

    public static readonly DiagnosticDescriptor UnknownAlias = Error(
        "LR107", "unknown alias",
        "Use an alias bound with 'as' by an item of the same rule (the message lists them).");

    // LR110-LR113: backtest and calibrate.
    public static readonly DiagnosticDescriptor NoCases = Error(
        "LR110", "nothing to backtest",
        "Add a case: block (as_of and outcome) to the dossiers you want to backtest.");

    public static readonly DiagnosticDescriptor SignalsAfterAsOf = Warning(
        "LR111", "signals dated or reported after the case's as_of are ignored",
        "Nothing to fix if intended: a backtest only uses what was known at as_of. Move such signals out of the case's dossier to silence this.");

    public static readonly DiagnosticDescriptor SingleVendorCases = Warning(
        "LR112", "cases from one company only",
        "Add cases from other companies; with one company, leave-one-company-out cross-validation says nothing about generalization.");

    public static readonly DiagnosticDescriptor UnknownKeptRule = Error(
        "LR113", "unknown rule for --keep",
        "Name a rule of the pack that has a weight ('licenserisk rules lint' lists the pack; derive-only rules have none).");

    // LR120-LR124: policy files.
    public static readonly DiagnosticDescriptor PolicyProbabilityOutOfRange = Error(
        "LR120", "policy probability out of range",
        "Give the prior strictly between 0 and 1 and thresholds from 0 to 1.");

    public static readonly DiagnosticDescriptor PolicyWeightOutOfRange = Error(
        "LR121", "policy weight out of range",
        "Give weights from -10 to 10 log-odds.");

    public static readonly DiagnosticDescriptor PolicyUnknownRule = Error(
        "LR122", "policy names an unknown rule",
        "Name a rule of the pack the policy is used with (the message suggests the closest one).");

    public static readonly DiagnosticDescriptor PolicyWeightOnDeriveOnlyRule = Error(
        "LR123", "weight override on a rule without weight",
        "Remove the override: the rule only derives a signal and adds no evidence of its own.");

    public static readonly DiagnosticDescriptor PolicyBadAutoAccept = Error(
        "LR124", "policy auto-accept rule not allowed",
        "Name a collector of mechanical facts (huggingface), kinds the pack declares and fields of those kinds; feed and openrouter candidates always wait for a person.");

    // LR130-LR133: what-if edits (the whatif command and the engine's what-if).
    public static readonly DiagnosticDescriptor UnknownSignal = Error(
        "LR130", "edit names no signal",
        "Name a signal by its number in the listing (whatif --list: the dossier's signals from 1, then the added ones) or by its id (the message suggests the closest one).");

    public static readonly DiagnosticDescriptor BadEdit = Error(
        "LR131", "malformed edit",
        "Write a change as TARGET.FIELD=VALUE, a sweep as TARGET.FIELD=V1,V2,... (in a changes file TARGET.FIELD: VALUE and TARGET.FIELD: [V1, V2]), where TARGET is a signal's number or id.");

    public static readonly DiagnosticDescriptor FieldNotEditable = Error(
        "LR132", "field cannot be edited",
        "A signal's kind cannot be changed: remove the signal and add one of the other kind.");

    public static readonly DiagnosticDescriptor EditOfRemovedSignal = Error(
        "LR133", "edit of a removed signal",
        "Drop the edit, or the earlier one that removes the signal.");

    // LR140-LR147: collect and review (the inbox beside each dossier).
    public static readonly DiagnosticDescriptor SourceFailed = Error(
        "LR140", "source could not be read",
        "The message names the source, the address and why (status, timeout, not JSON or XML, too large, a redirect to another host). The other sources were still read; run collect again later, or fix the address in vendor.sources or --hub-url, --openrouter-url, --github-url.");

    public static readonly DiagnosticDescriptor NoSources = Warning(
        "LR141", "dossier names no sources",
        "Add a sources: block under vendor: (docs/collection.md) so collect knows where to look for this vendor.");

    public static readonly DiagnosticDescriptor BadInbox = Error(
        "LR142", "unreadable inbox",
        "The inbox file beside the dossier is not what collect writes. Restore it from version control, or delete it: the next collect proposes its candidates again (rejected ones too, so reject them again).");

    public static readonly DiagnosticDescriptor UnknownCandidate = Error(
        "LR143", "unknown candidate",
        "Give an id that 'licenserisk review DOSSIER' lists (the message suggests the closest one).");

    public static readonly DiagnosticDescriptor CandidateAlreadyReviewed = Error(
        "LR144", "candidate already reviewed",
        "Nothing to do: a candidate is accepted or rejected once. To undo an acceptance, edit the dossier by hand.");

    public static readonly DiagnosticDescriptor CandidateIncomplete = Error(
        "LR145", "candidate needs a field a person must decide",
        "Give the field with --set FIELD=VALUE when accepting (the collector cannot know it, for example whether a licence change is more restrictive).");

    public static readonly DiagnosticDescriptor AcceptWouldBreakDossier = Error(
        "LR146", "accepting would make the dossier invalid",
        "The dossier was left as it was. Fix the problem the message names (in the dossier or with --set), then accept again.");

    public static readonly DiagnosticDescriptor DossierInUse = Error(
        "LR147", "dossier in use",
        "Another licenserisk process (review, collect, or serve's review page and collect) was changing this dossier or its inbox for longer than the wait; nothing was changed. Run the command again when it has finished. The lock is released when that process exits, so a crashed process never leaves it held.");

    // LR900-LR920: command line, service and init.
    public static readonly DiagnosticDescriptor BadCommandLine = Error(
        "LR900", "invalid command line",
        "Fix the arguments as the message says; run 'licenserisk --help' or 'licenserisk COMMAND --help' for usage.");

    public static readonly DiagnosticDescriptor BadAsOf = Error(
        "LR901", "invalid --as-of date",
        "Give --as-of as a real calendar date YYYY-MM-DD between the years 1900 and 2200.");

    public static readonly DiagnosticDescriptor BadHorizon = Error(
        "LR902", "invalid --horizon",
        "Give --horizon as a whole number of months from 1 to 120.");

    public static readonly DiagnosticDescriptor BadProbability = Error(
        "LR903", "invalid probability option",
        "Give the option a number from 0 to 1, for example --fail-above 0.5.");

    public static readonly DiagnosticDescriptor UnknownGateBand = Error(
        "LR904", "unknown band for --fail-on",
        "Give --fail-on one of the pack's bands, which the message lists lowest first.");

    public static readonly DiagnosticDescriptor ReportFolderLocked = Error(
        "LR905", "report folder in use",
        "Wait for the other report run writing to the same folder to finish, then run again.");

    public static readonly DiagnosticDescriptor BadVendorsFolder = Error(
        "LR906", "invalid --vendors folder",
        "Give --vendors an existing folder of dossiers.");

    public static readonly DiagnosticDescriptor CannotWriteOutput = Error(
        "LR907", "cannot write output",
        "Check that the output's folder exists and is writable and that the path is not a folder; nothing partial is left behind.");

    public static readonly DiagnosticDescriptor BadHistory = Error(
        "LR908", "unusable history database",
        "Point the report at a LicenseRisk history file (history.db in the output folder by default), or move the bad file away to start a new history.");

    public static readonly DiagnosticDescriptor ConfigFileNotFound = Error(
        "LR910", "--config file not found",
        "Check the path given to --config.");

    public static readonly DiagnosticDescriptor BadServiceSettings = Error(
        "LR911", "invalid service settings",
        "Fix the setting the message names, in appsettings.json, the --config file, a LICENSERISK__ variable or the command line.");

    public static readonly DiagnosticDescriptor UnsupportedPlotFormat = Error(
        "LR912", "unknown --plot image format",
        "End the --plot file name with .png, .svg, .jpg or .jpeg: the extension names the image format written.");

    public static readonly DiagnosticDescriptor BadLimitVariable = Error(
        "LR913", "invalid LICENSERISK_LIMITS__ variable",
        "Set the variable the message names to a whole number above 0, or unset it to keep the default limit.");

    public static readonly DiagnosticDescriptor BadLockWaitVariable = Error(
        "LR914", "invalid LICENSERISK_LOCK_WAIT variable",
        "Set LICENSERISK_LOCK_WAIT to a whole number of seconds from 0 to 3600 (how long a change waits for another process's hold on a dossier), or unset it to keep the 10 s default.");

    public static readonly DiagnosticDescriptor InitWouldOverwrite = Error(
        "LR920", "init would overwrite a file",
        "Run 'licenserisk init' on a new or empty folder, or move the files it names away; it writes nothing when any of its files exists.");

    /// <summary>Every entry above, in code order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All => Registry.All;

    /// <summary>
    /// The list, made on first use rather than with the entries: reflecting over this class's fields
    /// cost a command run about 0.3 ms of start-up (Native AOT), and only the tests and docs read it.
    /// </summary>
    private static class Registry
    {
        public static readonly IReadOnlyList<DiagnosticDescriptor> All =
        [
            .. typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetValue(null))
                .OfType<DiagnosticDescriptor>()
                .OrderBy(d => d.Code, StringComparer.Ordinal),
        ];
    }

    private static DiagnosticDescriptor Error(string code, string title, string help) => new(code, Severity.Error, title, help);

    private static DiagnosticDescriptor Warning(string code, string title, string help) => new(code, Severity.Warning, title, help);
}
