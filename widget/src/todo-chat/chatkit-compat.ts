/**
 * Compile-time only: fails type-checking if a ChatKit value stops being accepted by `<todo-chat>`'s
 * matching option, so "same vocabulary as ChatKit" stays true. Emits no code.
 */
import type { ComposerOption, StartScreenOption, ThemeOption } from '@openai/chatkit';
import type { TodoChatComposer, TodoChatStartScreen, TodoChatTheme } from './options.js';

type Accepts<Ours, Theirs extends Ours> = Theirs;

export type ThemeIsChatKitCompatible = Accepts<TodoChatTheme, Pick<ThemeOption, 'colorScheme' | 'radius' | 'density'>>;
export type AccentIsChatKitCompatible = Accepts<
  NonNullable<NonNullable<TodoChatTheme['color']>['accent']>,
  NonNullable<NonNullable<ThemeOption['color']>['accent']>
>;
export type GreetingIsChatKitCompatible = Accepts<TodoChatStartScreen, Pick<StartScreenOption, 'greeting'>>;
export type PlaceholderIsChatKitCompatible = Accepts<TodoChatComposer, Pick<ComposerOption, 'placeholder'>>;
