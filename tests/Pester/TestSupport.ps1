# Shared by the Pester files: dot-source it in BeforeAll (and BeforeDiscovery where discovery needs it).

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-HaModuleVersion {
    [xml] $props = Get-Content (Join-Path $script:RepoRoot 'Directory.Build.props') -Raw
    @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
}

# The staged module (out/HaTools/<version>/HaTools.psd1); tests/run.sh stages it before any Pester run.
function Get-HaStagedManifest {
    $manifest = Join-Path $script:RepoRoot "out/HaTools/$(Get-HaModuleVersion)/HaTools.psd1"
    if (-not (Test-Path $manifest)) { throw "$manifest is missing: stage the module first (./build.ps1 -Task Build)" }
    $manifest
}

# The pwsh running this test (the repository's .tools/pwsh under tests/run.sh), for fresh child sessions. Not the
# process path: as a .NET tool, pwsh runs inside the dotnet host.
function Get-PwshPath { Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }) }

# Runs a script in a FRESH pwsh process (nothing of this session leaks in) and returns its exit code and output.
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [string] $WorkingDirectory = $script:RepoRoot)
    $file = Join-Path ([IO.Path]::GetTempPath()) ("hatools-child-" + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -Path $file -Value $Script -Encoding utf8
    $info = [Diagnostics.ProcessStartInfo]::new((Get-PwshPath))
    foreach ($a in '-NoProfile', '-NonInteractive', '-File', $file) { $info.ArgumentList.Add($a) }
    $info.WorkingDirectory = $WorkingDirectory
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.Environment['NO_COLOR'] = '1'
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { [void] $info.Environment.Remove($k) } else { $info.Environment[$k] = $Environment[$k] }
    }
    try {
        $p = [Diagnostics.Process]::Start($info)
        $stderr = $p.StandardError.ReadToEndAsync()
        $stdout = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout; Errors = $stderr.Result }
    }
    finally { Remove-Item $file -ErrorAction Ignore }
}

# The first fenced block of the given language under a README.md heading ("## PowerShell"), as lines.
function Get-ReadmeBlock {
    param([Parameter(Mandatory)] [string] $Heading, [string] $Language = 'powershell')
    $lines = Get-Content (Join-Path $script:RepoRoot 'README.md')
    $start = [array]::IndexOf($lines, "## $Heading")
    if ($start -lt 0) { throw "README.md has no '## $Heading' section" }
    $inBlock = $false
    for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^## '; $i++) {
        if (-not $inBlock -and $lines[$i] -eq ('```' + $Language)) { $inBlock = $true; $block = @(); continue }
        if ($inBlock -and $lines[$i] -eq '```') { return $block }
        if ($inBlock) { $block += $lines[$i] }
    }
    throw "README.md's '## $Heading' section has no ``````$Language block"
}

# A PowerShell host that records what a command asks (ShouldProcess/ShouldContinue prompts) and answers with a
# fixed choice label ('Yes' or 'No'), and records progress and host output. A runspace opened on it behaves like an
# interactive console whose user always gives the same answer.
function New-RecordingHost {
    param([ValidateSet('Yes', 'No')] [string] $Answer = 'No')
    if (-not ('HaTools.PesterSupport.RecordingHost' -as [type])) {
        Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
namespace HaTools.PesterSupport {
public sealed class RecordingUI : PSHostUserInterface {
    public string Answer = "No";
    public readonly List<string> Prompts = new List<string>();
    public readonly List<ProgressRecord> Progress = new List<ProgressRecord>();
    public readonly List<string> Lines = new List<string>();
    public override PSHostRawUserInterface RawUI { get { return null; } }
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) {
        lock (Prompts) Prompts.Add(caption + ": " + message);
        for (int i = 0; i < choices.Count; i++) if (choices[i].Label.Replace("&", "") == Answer) return i;
        throw new InvalidOperationException("no choice labelled " + Answer);
    }
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) { throw new NotSupportedException("Prompt: " + message); }
    public override PSCredential PromptForCredential(string c, string m, string u, string t) { throw new NotSupportedException(); }
    public override PSCredential PromptForCredential(string c, string m, string u, string t, PSCredentialTypes a, PSCredentialUIOptions o) { throw new NotSupportedException(); }
    public override string ReadLine() { throw new NotSupportedException("ReadLine"); }
    public override SecureString ReadLineAsSecureString() { throw new NotSupportedException(); }
    public override void Write(string value) { lock (Lines) Lines.Add(value); }
    public override void Write(ConsoleColor f, ConsoleColor b, string value) { Write(value); }
    public override void WriteLine(string value) { Write(value); }
    public override void WriteErrorLine(string value) { Write(value); }
    public override void WriteDebugLine(string message) { Write(message); }
    public override void WriteVerboseLine(string message) { Write(message); }
    public override void WriteWarningLine(string message) { Write(message); }
    public override void WriteProgress(long sourceId, ProgressRecord record) { lock (Progress) Progress.Add(record); }
}
public sealed class RecordingHost : PSHost {
    private readonly Guid id = Guid.NewGuid();
    public readonly RecordingUI Recorder = new RecordingUI();
    public override string Name { get { return "HaToolsRecordingHost"; } }
    public override Version Version { get { return new Version(1, 0); } }
    public override Guid InstanceId { get { return id; } }
    public override PSHostUserInterface UI { get { return Recorder; } }
    public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
    public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() { throw new NotSupportedException(); }
    public override void ExitNestedPrompt() { }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
}
'@
    }
    $h = [HaTools.PesterSupport.RecordingHost]::new()
    $h.Recorder.Answer = $Answer
    $h
}

# A runspace on a recording host with the staged module imported; Invoke-InSession runs one script in it and
# returns what each stream carried.
function New-HostedSession {
    param([Parameter(Mandatory)] $RecordingHost, [string] $Location = $script:RepoRoot)
    $rs = [runspacefactory]::CreateRunspace($RecordingHost)
    $rs.Open()
    $rs.SessionStateProxy.Path.SetLocation($Location) | Out-Null
    [pscustomobject]@{ Runspace = $rs; Host = $RecordingHost }
}

function Invoke-InSession {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Script)
    $ps = [powershell]::Create()
    $ps.Runspace = $Session.Runspace
    $Session.Host.Recorder.Prompts.Clear(); $Session.Host.Recorder.Progress.Clear()
    try {
        $out = $ps.AddScript($Script).Invoke()
        $thrown = $null
    }
    catch { $thrown = $_.Exception; $out = @() }
    [pscustomobject]@{
        Script   = $Script
        Output   = @($out)
        Errors   = @($ps.Streams.Error)
        Thrown   = $thrown
        Progress = @($ps.Streams.Progress)
        Warnings = @($ps.Streams.Warning)
        Prompts  = @($Session.Host.Recorder.Prompts)
        HadErrors = $ps.HadErrors
    }
    $ps.Dispose()
}
