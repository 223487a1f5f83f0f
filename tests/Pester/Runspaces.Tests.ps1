#Requires -Version 7.0
# The module in other runspaces and processes: ForEach-Object -Parallel, Start-ThreadJob and Start-Job over several
# files, each importing the module itself (HaTools keeps no session state: the cluster travels as a file). No lab:
# saved crm_mon outputs (tests/fixtures/crm_mon) and offline validation of examples/*.yaml (not a Hare CDF, *-cdf.yaml). The live-cluster
# counterpart is Lab.Runspaces.Tests.ps1. Stage the module first (./build.ps1 -Task Build).

BeforeAll {
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    [xml] $props = Get-Content (Join-Path $script:root 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
    $script:manifest = Join-Path $script:root "out/HaTools/$version/HaTools.psd1"
    if (-not (Test-Path $script:manifest)) { throw "$($script:manifest) is missing: stage the module first (./build.ps1 -Task Build)" }
    $script:saved = @(Get-ChildItem (Join-Path $script:root 'tests/fixtures/crm_mon') -Filter '*.xml' |
        Where-Object Name -notlike '*.cib.xml' | Select-Object -First 4 -ExpandProperty FullName)
    $script:examples = @(Get-ChildItem (Join-Path $script:root 'examples') -Filter '*.yaml' | Where-Object Name -NotLike '*-cdf.yaml' | Select-Object -ExpandProperty FullName)
    # What the current session sees, to compare with what each runspace computes on its own.
    Import-Module $script:manifest -Force
    $script:expected = @{}
    foreach ($f in $script:saved) { $script:expected[$f] = (Get-HaStatus -FromFile $f).Resources.Count }
}

Describe 'Jobs and parallel runspaces (no lab)' {
    It 'has saved crm_mon outputs and example files to work on' {
        $script:saved.Count | Should -BeGreaterOrEqual 2
        $script:examples.Count | Should -BeGreaterOrEqual 2
    }

    It 'ForEach-Object -Parallel reads each saved status in its own runspace' {
        $m = $script:manifest
        $got = $script:saved | ForEach-Object -Parallel {
            Import-Module $using:m
            [pscustomobject]@{ File = $_; Resources = (Get-HaStatus -FromFile $_).Resources.Count; Runspace = [runspace]::DefaultRunspace.InstanceId }
        } -ThrottleLimit 4
        @($got).Count | Should -Be $script:saved.Count
        foreach ($g in $got) { $g.Resources | Should -Be $script:expected[$g.File] }
        @($got.Runspace | Select-Object -Unique).Count | Should -BeGreaterThan 1
    }

    It 'Start-ThreadJob validates every example file offline' {
        $m = $script:manifest
        $jobs = foreach ($f in $script:examples) {
            Start-ThreadJob -ArgumentList $m, $f -ScriptBlock {
                param($m, $f)
                Import-Module $m
                [pscustomobject]@{ File = $f; Errors = @(Test-HaCluster -Path $f -Offline | Where-Object Severity -eq Error).Count }
            }
        }
        $got = $jobs | Receive-Job -Wait -AutoRemoveJob
        @($got).Count | Should -Be $script:examples.Count
        foreach ($g in $got) { $g.Errors | Should -Be 0 -Because "$($g.File) is a valid example" }
    }

    It 'Start-Job (another pwsh process) returns deserialized status objects' {
        $job = Start-Job -ArgumentList $script:manifest, $script:saved -ScriptBlock {
            param($m, $files)
            Import-Module $m
            foreach ($f in $files) { Get-HaStatus -FromFile $f }
        }
        $got = @($job | Receive-Job -Wait -AutoRemoveJob)
        @($got).Count | Should -Be $script:saved.Count
        $got[0].PSObject.TypeNames | Should -Contain 'Deserialized.HaTools.Core.Model.ClusterStatus'
        for ($i = 0; $i -lt $got.Count; $i++) { @($got[$i].Resources).Count | Should -Be $script:expected[$script:saved[$i]] }
    }
}

Describe 'Argument completion from the cluster file (no lab)' {
    BeforeAll {
        # examples/lab.yaml with its nodes on a loopback port nobody listens on: completion asks the live cluster too,
        # and this one refuses at once, so the file's names are all there is (and no lab node is contacted).
        $text = (Get-Content (Join-Path $script:root 'examples/lab.yaml') -Raw) -replace 'address: 198\.18\.0\.1(\d)', 'address: 127.0.0.$1' -replace '(?m)^ssh:\r?\n', "ssh:`n  port: 1`n"
        $script:offline = Join-Path $TestDrive 'lab-offline.yaml'
        Set-Content -Path $script:offline -Value $text -Encoding utf8
    }

    It 'completes node names for -Name of Suspend-HaNode' {
        $line = "Suspend-HaNode -Path '$script:offline' -Name no"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('node1', 'node2', 'node3')
    }

    It 'completes resource names for -Name of Move-HaResource' {
        $line = "Move-HaResource -Path '$script:offline' -Name "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('svc', 'vip')
    }

    It 'completes from a saved status (-FromFile) without any cluster file' {
        $saved = Join-Path $script:root 'tests/fixtures/crm_mon/group.xml'
        $line = "Get-HaResource -FromFile '$saved' -Name "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('fence', 'svc', 'vip', 'web')
    }
}
