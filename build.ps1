#Requires -Version 5.1
# Package needs PSResourceGet (shipped with pwsh 7.4+, Compress-PSResource since 1.1).
<#
.SYNOPSIS
    HaTools build entry: Build, Test, Package, Docs. Calls the same dotnet commands a machine without PowerShell runs.

.EXAMPLE
    ./build.ps1                       # Build: compile (warnings are errors) and stage out/HaTools/<version>/
    ./build.ps1 -Task Test            # Build, xunit, then Pester 5.7.1 and 6.2.0 (tests/install-deps.sh --powershell)
    ./build.ps1 -Task Docs            # update docs/commands/*.md from the compiled cmdlets (prose kept)
    ./build.ps1 -Task Package         # Build + out/HaTools.<version>.nupkg (PSResourceGet's Compress-PSResource)

    Without PowerShell:
      dotnet build HaTools.sln -c Release
      dotnet run --project build/HelpGen -c Release -- stage --configuration Release
      dotnet test tests/HaTools.Tests -c Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Docs')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot

# Called with a quoted '--': a bare -- would end the function's own parameters and never reach dotnet.
function Invoke-Dotnet {
    Write-Host "dotnet $args" -ForegroundColor Cyan
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE" }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content (Join-Path $PSScriptRoot 'Directory.Build.props') -Raw
    @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
}

$script:done = @{}
function Invoke-Task([string] $Name) {
    if ($script:done[$Name]) { return }
    $script:done[$Name] = $true
    switch ($Name) {
        'Build' {
            Invoke-Dotnet build HaTools.sln -c $Configuration
            Invoke-Dotnet run --project build/HelpGen -c $Configuration --no-build '--' stage --configuration $Configuration
        }
        'Docs' {
            Invoke-Dotnet build src/HaTools -c $Configuration
            Invoke-Dotnet run --project build/HelpGen -c $Configuration '--' markdown --configuration $Configuration
        }
        'Test' {
            Invoke-Task 'Build'
            Invoke-Dotnet test tests/HaTools.Tests -c $Configuration --no-build
            # Pester runs in a child pwsh per Pester version (two majors cannot share a session); the lab-tagged
            # files only when the lab is up (HATOOLS_LAB=1, as tests/run.sh sets it).
            $pwsh = Join-Path $PSScriptRoot '.tools/pwsh/pwsh'
            if (-not (Test-Path $pwsh)) { $pwsh = Get-Command pwsh -ErrorAction Ignore | ForEach-Object Source }
            if (-not $pwsh) { Write-Host 'Pester: skipped (pwsh not installed)'; break }
            $filter = if ($env:HATOOLS_LAB -eq '1') { @() } else { @('-ExcludeTag', 'Lab') }
            foreach ($pesterVersion in '5.7.1', '6.2.0') {
                & $pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'tests/Pester/run-pester.ps1') `
                    -PesterVersion $pesterVersion -Path (Join-Path $PSScriptRoot 'tests/Pester') @filter
                if ($LASTEXITCODE -ne 0) { throw "Pester $pesterVersion failed ($LASTEXITCODE)" }
            }
        }
        'Package' {
            # A nupkg of the staged module, as PSResourceGet makes it (Publish-PSResource -NupkgPath puts it in a
            # repository; Install-PSResource installs it): see README, Install.
            Invoke-Task 'Build'
            $version = Get-ModuleVersion
            $out = Join-Path $PSScriptRoot 'out'
            $nupkg = Join-Path $out "HaTools.$version.nupkg"
            if (Test-Path $nupkg) { Remove-Item $nupkg }
            Compress-PSResource -Path (Join-Path $out "HaTools/$version") -DestinationPath $out
            if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg" }
            Write-Host "packaged $nupkg"
        }
    }
}

try {
    foreach ($t in $Task) { Invoke-Task $t }
}
finally {
    Pop-Location
}
