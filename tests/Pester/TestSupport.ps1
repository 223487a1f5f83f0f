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
