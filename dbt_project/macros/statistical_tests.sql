{#- The uncertainty of a figure and the significance of a difference, as closed-form SQL so every figure carries them
    in the published tables (BI tools read the same judgement the board pack and the workbook print). Two-sided 95%
    throughout. Each method is the one the Government Statistical Service and public health reporting use for the
    kind of figure (docs/scorecard.md, "Uncertainty and significance"):

    - a share (x of n): the Wilson score interval, right for small n and shares near 0 or 100%;
    - a count of events: Byar's approximation to the exact Poisson interval;
    - two shares: Newcombe's hybrid score interval for their difference (built from the two Wilson intervals);
      significant when it excludes 0;
    - two counts over exposures t1, t2 (days): the conditional test (given the total, the first count is binomial
      with p0 = t1 / (t1 + t2)), significant when the Wilson interval of its share of the total excludes p0. -#}

{% macro confidence_z() -%}
1.959963984540054
{%- endmacro %}

{#- One end of the Wilson score interval for the share successes / trials; sign is '-' (lower) or '+' (upper).
    Null when there are no trials. -#}
{% macro wilson_bound(successes, trials, sign) -%}
(
        (({{ successes }}) + {{ confidence_z() }} ^ 2 / 2
            {{ sign }} {{ confidence_z() }}
            * sqrt(({{ successes }}) * (({{ trials }}) - ({{ successes }})) / nullif({{ trials }}, 0)
                + {{ confidence_z() }} ^ 2 / 4))
        / (nullif({{ trials }}, 0) + {{ confidence_z() }} ^ 2)
    )
{%- endmacro %}

{#- One end of Byar's interval for a Poisson count (exact to a fraction of a unit from about 5 up); 0 below 0. -#}
{% macro poisson_bound(events, sign) -%}
{%- if sign == '-' -%}
case when ({{ events }}) = 0 then 0.0 else
        ({{ events }}) * (1 - 1 / (9 * ({{ events }})) - {{ confidence_z() }} / (3 * sqrt({{ events }}))) ^ 3 end
{%- else -%}
(({{ events }}) + 1) * (1 - 1 / (9 * (({{ events }}) + 1)) + {{ confidence_z() }} / (3 * sqrt(({{ events }}) + 1))) ^ 3
{%- endif -%}
{%- endmacro %}

{#- Whether two shares differ (Newcombe's hybrid score interval for x1/n1 - x2/n2 excludes 0). -#}
{% macro shares_differ(x1, n1, x2, n2) -%}
(
        ({{ x1 }}) / nullif({{ n1 }}, 0) - ({{ x2 }}) / nullif({{ n2 }}, 0) - sqrt(
            (({{ x1 }}) / nullif({{ n1 }}, 0) - {{ wilson_bound(x1, n1, '-') }}) ^ 2
            + ({{ wilson_bound(x2, n2, '+') }} - ({{ x2 }}) / nullif({{ n2 }}, 0)) ^ 2
        ) > 0
        or ({{ x1 }}) / nullif({{ n1 }}, 0) - ({{ x2 }}) / nullif({{ n2 }}, 0) + sqrt(
            ({{ wilson_bound(x1, n1, '+') }} - ({{ x1 }}) / nullif({{ n1 }}, 0)) ^ 2
            + (({{ x2 }}) / nullif({{ n2 }}, 0) - {{ wilson_bound(x2, n2, '-') }}) ^ 2
        ) < 0
    )
{%- endmacro %}

{#- Whether two counts of events differ beyond chance, given their exposures (e.g. the days of their periods): the
    first count's share of the total against the share its exposure would give it. Two zeros do not differ. -#}
{% macro counts_differ(x1, t1, x2, t2) -%}
(
        ({{ x1 }}) + ({{ x2 }}) > 0
        and not (({{ t1 }}) / (({{ t1 }}) + ({{ t2 }}))
            between {{ wilson_bound(x1, '(' ~ x1 ~ ') + (' ~ x2 ~ ')', '-') }}
                and {{ wilson_bound(x1, '(' ~ x1 ~ ') + (' ~ x2 ~ ')', '+') }})
    )
{%- endmacro %}

{#- A comparison in one word, for BI tools and the board pack alike: better / worse (significant, by the measure's
    polarity), higher / lower (significant, a measure with no better direction), not_significant, not_tested (the
    figure has no interval, or the comparison is not a fair test), or null when there is nothing to compare with. -#}
{% macro judgement(present, testable, significant, difference, polarity) -%}
case
        when not ({{ present }}) or ({{ present }}) is null then null
        when not coalesce({{ testable }}, false) then 'not_tested'
        when not {{ significant }} then 'not_significant'
        when {{ polarity }} = 'higher_is_better' then case when {{ difference }} > 0 then 'better' else 'worse' end
        when {{ polarity }} = 'lower_is_better' then case when {{ difference }} < 0 then 'better' else 'worse' end
        else case when {{ difference }} > 0 then 'higher' else 'lower' end
    end
{%- endmacro %}
