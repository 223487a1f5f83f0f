#Requires -Version 7.0
<#
.SYNOPSIS
    Runs Pester files under one given Pester version and writes the counts where tests/run.sh can sum them.

.DESCRIPTION
    One pwsh process per Pester version: two Pester majors cannot be loaded in one session. The version is taken
    from <repo>/.tools/packages/pester/<version>/tools (restored by tests/install-deps.sh), never from PSModulePath,
    so the run is the same on every machine. Tests that need the lab are tagged 'Lab': -ExcludeTag Lab runs the
    rest, -Tag Lab runs those (tests/run.sh runs them while it holds the lab lease and the lab is up).

    The counts file holds one JSON object: { "pester": "<version>", "passed": n, "failed": n, "skipped": n }.
    failed includes blocks and files that failed outside a test (a BeforeAll that throws, a file that does not
    parse), so a broken file is never counted as zero tests.

.EXAMPLE
    pwsh -NoProfile -File tests/Pester/run-pester.ps1 -PesterVersion 6.2.0 -Path tests/Pester -ExcludeTag Lab
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('5.7.1', '6.2.0')] [string] $PesterVersion,
    [Parameter(Mandatory)] [string[]] $Path,
    [string[]] $Tag,
    [string[]] $ExcludeTag,
    [string] $CountsFile,
    [string] $ResultFile
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$pesterManifest = Join-Path $root ".tools/packages/pester/$PesterVersion/tools/Pester.psd1"
if (-not (Test-Path $pesterManifest)) { throw "$pesterManifest is missing: run tests/install-deps.sh --powershell" }
Import-Module $pesterManifest -Force
$loaded = (Get-Module Pester).Version.ToString()
if ($loaded -ne $PesterVersion) { throw "Pester $loaded was loaded instead of $PesterVersion" }

$config = New-PesterConfiguration
# pwsh -File passes 'a,b' as one string: split it, as a shell caller means it.
$config.Run.Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
# CI logs are files: escape sequences would only garble them.
if ([Console]::IsOutputRedirected -or [Console]::IsErrorRedirected -or $env:CI) { $config.Output.RenderMode = 'Plaintext' }
if ($Tag) { $config.Filter.Tag = $Tag }
if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag }
if ($ResultFile) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultFile
}

$result = Invoke-Pester -Configuration $config
if (-not $result) {
    # Invoke-Pester itself failed (a path that does not exist, a broken configuration): never a run of zero tests.
    if ($CountsFile) { @{ pester = $loaded; passed = 0; failed = 1; skipped = 0 } | ConvertTo-Json -Compress | Set-Content -Path $CountsFile -Encoding utf8 }
    Write-Host "Pester ${loaded}: Invoke-Pester returned no result"
    exit 1
}
# A failing BeforeAll already fails its tests; count a block or file only where it failed with no failed test in it
# (an AfterAll that throws, a file that does not parse).
$failedOutsideTests = @(@($result.FailedBlocks) + @($result.FailedContainers) | Where-Object {
        $_ -and @($_.Tests | Where-Object Result -eq 'Failed').Count -eq 0 -and @($_.Blocks.Tests | Where-Object Result -eq 'Failed').Count -eq 0
    }).Count
$counts = [ordered]@{
    pester  = $loaded
    passed  = $result.PassedCount
    failed  = $result.FailedCount + $failedOutsideTests
    skipped = $result.SkippedCount
}
if ($CountsFile) { $counts | ConvertTo-Json -Compress | Set-Content -Path $CountsFile -Encoding utf8 }
Write-Host ("Pester {0}: {1} passed, {2} failed, {3} skipped" -f $loaded, $counts.passed, $counts.failed, $counts.skipped)
exit ([int]($counts.failed -gt 0))
